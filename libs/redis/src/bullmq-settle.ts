/** anything of BullMQ that opens Redis connections (Queue, Worker, QueueEvents) */
interface ConnectingResource {
  waitUntilReady(): Promise<unknown>;
}

/**
 * Waits (bounded) for a BullMQ queue or worker to finish connecting.
 *
 * Call it before close(): BullMQ 5 drops its connection's listeners on close,
 * and a connection still initialising then rejects its start-up (`Connection
 * is closed`) as an 'error' event nobody listens to, which Node turns into an
 * uncaught exception. A Redis that never answers costs at most `timeoutMs`.
 */
export async function settleBullConnections(resource: ConnectingResource, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const givenUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([resource.waitUntilReady().catch(() => undefined), givenUp]);
  clearTimeout(timer);
}
