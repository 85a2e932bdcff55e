import { DependencyUnavailableError } from './app-errors';

/** A Redis command from the request path: a dead connection answers 503 (retry later), not 500. */
export async function orRedisUnavailable<T>(command: Promise<T>, what: string): Promise<T> {
  try {
    return await command;
  } catch (error) {
    throw new DependencyUnavailableError(`Redis did not answer (${what}); retry shortly`, { cause: (error as Error).message });
  }
}
