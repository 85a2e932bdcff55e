/**
 * `npm run bench`: every benchmark script directly in bench/ (helpers live in
 * bench/support/), one after another with its default arguments, each in its
 * own process so one run's Redis connections, timers and event-loop load do
 * not leak into the next. Exits non-zero if any script does.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/run-all.ts
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = join(__dirname, '..');
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

function benchScripts(): string[] {
  return readdirSync(__dirname)
    .filter((name) => name.endsWith('.ts') && name !== basename(__filename))
    .sort()
    .map((name) => join('bench', name));
}

function run(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_NODE, script], { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const failed: string[] = [];
  for (const script of benchScripts()) {
    process.stdout.write(`\n=== ${script}\n`);
    if ((await run(script)) !== 0) failed.push(script);
  }
  if (failed.length > 0) {
    process.stderr.write(`\nbench failed: ${failed.join(', ')}\n`);
    process.exit(1);
  }
}

main().catch((error) => {
  process.stderr.write(`bench run-all failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
