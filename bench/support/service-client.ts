/** The service's public API as a bench drives it: the API key, JSON, and a bounded wait for a condition. */
export const BENCH_API_KEY = 'bench-api-key-0123456789';
export const benchHeaders = { 'x-api-key': BENCH_API_KEY, 'content-type': 'application/json' };

export async function call(base: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method, headers: benchHeaders, body: body ? JSON.stringify(body) : undefined });
  if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** polls `read` until `ok` holds (errors count as not yet); throws naming `what` after the timeout */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
