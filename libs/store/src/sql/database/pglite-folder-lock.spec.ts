import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockPgliteFolder } from './pglite-folder-lock';

describe('lockPgliteFolder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'maskline-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder until the first releases', () => {
    const release = lockPgliteFolder(dir);
    expect(() => lockPgliteFolder(dir)).toThrow(`in use by process ${process.pid}`);
    release();
    expect(existsSync(join(dir, 'maskline.pid'))).toBe(false);
    lockPgliteFolder(dir)();
  });

  it('takes over a pid file left by a dead process', () => {
    writeFileSync(join(dir, 'maskline.pid'), '2147483646');
    const release = lockPgliteFolder(dir);
    expect(() => lockPgliteFolder(dir)).toThrow(/in use/);
    release();
  });

  it('takes over its own pid from a previous life (PID 1 after a container restart)', () => {
    writeFileSync(join(dir, 'maskline.pid'), String(process.pid));
    lockPgliteFolder(dir)();
  });

  it('refuses while another live process holds it', () => {
    writeFileSync(join(dir, 'maskline.pid'), String(process.ppid));
    expect(() => lockPgliteFolder(dir)).toThrow(`in use by process ${process.ppid}`);
  });
});
