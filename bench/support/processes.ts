import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

/** one of the service's entrypoints (src/main.ts, src/worker.main.ts) as its own process, transpiled on the fly */
export function spawnEntrypoint(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...TS_NODE, entry], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
}

/** a built entrypoint (`nest build` output, as `npm start` runs it) as its own process */
export function spawnBuilt(entry: string, env: Record<string, string>): ChildProcess {
  // BENCH_DEBUG=1 shows the service's own log lines
  return spawn(process.execPath, [entry], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: process.env.BENCH_DEBUG ? 'inherit' : 'ignore' });
}

/** `nest build`, as `npm start` does before it runs the service */
export function buildService(): void {
  execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** the simulator in its own process (as Twilio is to production); resolves with its URL */
export function spawnSimulator(buyLatencyMs = 0): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...TS_NODE, 'bench/support/simulator-process.ts', String(buyLatencyMs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, child });
    });
    child.once('exit', (code) => reject(new Error(`simulator process exited ${code}`)));
  });
}

/** resident memory of a process, in MB (Linux /proc) */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}
