import type { Job, JobsOptions, Queue } from 'bullmq';
import { DependencyUnavailableError } from '../common/http/app-errors';

export interface JobToAdd<T> {
  name: string;
  data: T;
  opts?: JobsOptions;
}

/**
 * BullMQ's connection waits for Redis (workers need that), so a request
 * adding a job would hang while Redis is down: this bounds the wait and
 * answers 503 instead.
 */
async function withinQueueTimeout<R>(add: Promise<R>, timeoutMs: number): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyUnavailableError('Queue unavailable (Redis did not answer); retry shortly')), timeoutMs);
  });
  try {
    return await Promise.race([add, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** adds one job from the request path; answers its id */
export async function enqueue<T>(queue: Queue, name: string, data: T, opts: JobsOptions = {}, timeoutMs = 3000): Promise<string> {
  const job = await withinQueueTimeout(queue.add(name, data, opts), timeoutMs);
  return job.id as string;
}

/** adds several jobs in one Redis round trip (BullMQ addBulk: all or none); answers their ids */
export async function enqueueBulk<T>(queue: Queue, jobs: JobToAdd<T>[], timeoutMs = 3000): Promise<string[]> {
  if (jobs.length === 0) return [];
  const added: Job[] = await withinQueueTimeout(queue.addBulk(jobs), timeoutMs);
  return added.map((job) => job.id as string);
}
