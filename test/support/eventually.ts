/** Polls until the probe answers something other than undefined (a condition, never a fixed sleep); throws after timeoutMs. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 45_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
