import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const JOURNAL = join('meta', '_journal.json');
const SOURCE_PATH = join('libs', 'store', 'src', 'sql', 'migrations');

/**
 * Where drizzle-kit's migrations are:
 * 1. next to the running code (`../migrations`: ts-jest, ts-node, and the
 *    `nest build` output, which copies them as assets per nest-cli.json);
 * 2. else the source folder, found by walking up from the running code (the
 *    compiled dist/libs/store/src/sql/database climbs to the project root) and
 *    then from the working directory.
 */
export function resolveMigrationsFolder(from: string = __dirname, cwd: string = process.cwd()): string {
  const candidates = [join(from, '..', 'migrations'), ...ancestors(from).map((dir) => join(dir, SOURCE_PATH)), join(cwd, SOURCE_PATH)];
  const found = candidates.find((dir) => existsSync(join(dir, JOURNAL)));
  if (!found) {
    throw new Error(`SQL migrations not found (looked for ${JOURNAL} in: ${candidates.join(', ')})`);
  }
  return found;
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    out.push(current);
    if (dirname(current) === current) return out;
  }
}
