import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The real worker entrypoint (transpiled on the fly) as its own OS process, resolved once it says it is up. */
export function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/worker.main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', ...env },
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('Maskline is up')) resolve(child);
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was up: ${output.slice(-2000)}`)));
  });
}

/** Sends the signal (SIGKILL by default) and resolves once the process is gone. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
