import { UniqueConflictError } from '../../ports';

interface PgErrorFields {
  code?: string;
  constraint?: string;
}

/** Drizzle wraps driver errors (DrizzleQueryError.cause); pg and PGlite both carry code + constraint. */
function pgErrorOf(error: unknown): PgErrorFields | null {
  for (let e = error as (PgErrorFields & { cause?: unknown }) | undefined, depth = 0; e && depth < 5; depth += 1) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
    e = e.cause as typeof e;
  }
  return null;
}

const UNIQUE_VIOLATION = '23505';
/** a concurrent transaction won; running the whole unit again gives the right answer */
const RETRYABLE = new Set([UNIQUE_VIOLATION, '40001', '40P01']);

/** Unique indexes (see schema/) → the entity and rule a caller can act on. */
const UNIQUE_RULES: Record<string, [entity: string, rule: string]> = {
  sitters_phone_unique: ['sitter', 'phone'],
  clients_phone_unique: ['client', 'phone'],
  clients_time_to_pet_id_unique: ['client', 'time to pet id'],
  numbers_phone_number_unique: ['number', 'phone number'],
  numbers_purchase_token_unique: ['number', 'purchase token'],
  numbers_one_open_reserved_per_sitter: ['number', 'reserved number of this sitter'],
  sessions_one_active_per_client_sitter: ['session', 'active session of this client and sitter'],
  sessions_one_active_per_sitter_pool_number: ['session', 'pool number of this sitter'],
  sms_conversations_one_active_per_practice_phone: ['outreach conversation', 'active conversation of this patient phone in this practice'],
};

/** Rethrows a unique violation as UniqueConflictError; anything else unchanged. */
export function rethrowAsConflict(error: unknown): never {
  const pg = pgErrorOf(error);
  const rule = pg?.code === UNIQUE_VIOLATION && pg.constraint ? UNIQUE_RULES[pg.constraint] : undefined;
  if (rule) throw new UniqueConflictError(rule[0], rule[1]);
  throw error;
}

/**
 * Runs a unit of work again when it lost a race another transaction won
 * (unique violation, serialization failure, deadlock). Only for work whose
 * re-run sees the winner's row and answers from it.
 */
export async function retryOnRace<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const code = pgErrorOf(error)?.code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}
