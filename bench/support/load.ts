import { spawn } from 'node:child_process';

export interface LoadResult {
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  connections: number;
  durationSeconds?: number;
  amount?: number;
  /** fixed total request rate (open loop) instead of as fast as possible */
  overallRate?: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Runs autocannon in its own process, as a real client would be: a load
 * generator on the app's event loop would steal the time it measures.
 */
export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const args = [require.resolve('autocannon/autocannon.js'), '--json', '-c', String(opts.connections), '-m', opts.method ?? 'POST'];
  if (opts.durationSeconds) args.push('-d', String(opts.durationSeconds));
  if (opts.amount) args.push('-a', String(opts.amount));
  if (opts.overallRate) args.push('-R', String(opts.overallRate));
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (opts.body !== undefined) args.push('-b', opts.body);
  args.push(opts.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`autocannon printed no JSON: ${out}${err}`));
      }
    });
  });
}

export function statusCounts(result: LoadResult): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
}
