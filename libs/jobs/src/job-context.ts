import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<{ jobName: string }>();

/**
 * Whether the calling code runs inside a job handler (background work) rather
 * than for a request someone is waiting on. Shared budgets use it to keep
 * their nearest slots for the waiting caller (the Airtable request budget).
 */
export function runningInJob(): boolean {
  return current.getStore() !== undefined;
}

/** runs a job handler so that runningInJob() is true inside it */
export function runAsJob<T>(jobName: string, handler: () => Promise<T>): Promise<T> {
  return current.run({ jobName }, handler);
}
