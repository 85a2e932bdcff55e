import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveMigrationsFolder } from './migrations-folder';

const SOURCE_FOLDER = resolve(__dirname, '..', 'migrations');
const PROJECT_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');

describe('resolveMigrationsFolder', () => {
  let elsewhere: string;
  beforeAll(() => {
    elsewhere = mkdtempSync(join(tmpdir(), 'maskline-no-migrations-'));
  });
  afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

  it('finds the folder next to the source (ts-jest, nest start)', () => {
    expect(resolveMigrationsFolder(__dirname, elsewhere)).toBe(SOURCE_FOLDER);
  });

  it('uses the copy next to compiled code (nest build copies the migrations as assets)', () => {
    const build = join(elsewhere, 'dist', 'libs', 'store', 'src', 'sql');
    mkdirSync(join(build, 'migrations', 'meta'), { recursive: true });
    writeFileSync(join(build, 'migrations', 'meta', '_journal.json'), '{}');
    expect(resolveMigrationsFolder(join(build, 'database'), elsewhere)).toBe(join(build, 'migrations'));
  });

  it('climbs to the source folder from a build that has no copy', () => {
    const compiledDir = join(PROJECT_ROOT, 'build-without-assets', 'libs', 'store', 'src', 'sql', 'database');
    expect(resolveMigrationsFolder(compiledDir, elsewhere)).toBe(SOURCE_FOLDER);
  });

  it('falls back to the working directory', () => {
    expect(resolveMigrationsFolder(join(elsewhere, 'bundle'), PROJECT_ROOT)).toBe(SOURCE_FOLDER);
  });

  it('names every place it looked when there are none', () => {
    expect(() => resolveMigrationsFolder(join(elsewhere, 'bundle'), elsewhere)).toThrow(/SQL migrations not found.*_journal\.json/);
  });
});
