import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { resolve } from 'node:path';

const LOCK_FILE = 'maskline.pid';
/** folders this process holds; our own pid in a file we do not hold is a previous life (PID 1 in a restarted container) */
const heldHere = new Set<string>();

/**
 * PGlite is single-process: two processes (say `start:api` and `start:worker`)
 * on one folder would corrupt it without a word. This pid file, created
 * atomically ('wx'), refuses the second opener with a clear message; a pid file
 * left by a dead process is taken over. Hand-written because no lock-file
 * library is installed and this needs only create-exclusive + a liveness check.
 * Returns the release function.
 */
export function lockPgliteFolder(dataDir: string): () => void {
  const path = resolve(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      return () => {
        heldHere.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8'));
      if (holder === process.pid ? heldHere.has(path) : isAlive(holder)) {
        throw new Error(
          `PGlite folder ${dataDir} is in use by process ${holder}; run one process on the embedded store or set DATABASE_URL`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock the PGlite folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
