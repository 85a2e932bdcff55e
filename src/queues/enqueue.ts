import type { JobsOptions, Queue } from 'bullmq';
import { DependencyUnavailableError } from '../common/http/app-errors';

/**
 * Adds a job from the request path. BullMQ's connection waits for Redis
 * (workers need that), so a request would hang while Redis is down: this
 * bounds the wait and answers 503 instead.
 */
export async function enqueue<T>(queue: Queue, name: string, data: T, opts: JobsOptions = {}, timeoutMs = 3000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyUnavailableError('Queue unavailable (Redis did not answer); retry shortly')), timeoutMs);
  });
  try {
    const job = await Promise.race([queue.add(name, data, opts), timeout]);
    return job.id as string;
  } finally {
    clearTimeout(timer);
  }
}
