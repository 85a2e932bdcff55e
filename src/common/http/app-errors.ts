/**
 * One error type per failure a caller can act on. The exception filter maps
 * each to the one JSON shape `{ success: false, error, details }`.
 */
export type ErrorDetails = Record<string, unknown>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly headers: Record<string, string> = {};
  constructor(
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

/** 400: the request itself is malformed; `fields` names every bad field. */
export class ValidationFailedError extends AppError {
  readonly status = 400;
  readonly code = 'validation_failed';
  constructor(readonly fields: FieldProblem[]) {
    super(fields.map((f) => f.messages.join('; ')).join('; ') || 'Invalid request', {
      fields: Object.fromEntries(fields.map((f) => [f.field, f.messages])),
    });
  }
  static single(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, messages: [message] }]);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor(message: string, challenge?: string) {
    super(message);
    if (challenge) this.headers['WWW-Authenticate'] = challenge;
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(entity: string, id: string) {
    super(`${entity} ${id} not found`, { entity, id });
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code: string;
  constructor(message: string, details: ErrorDetails = {}, code = 'conflict') {
    super(message, details);
    this.code = code;
  }
}

export class UnprocessableError extends AppError {
  readonly status = 422;
  readonly code: string;
  constructor(message: string, details: ErrorDetails = {}, code = 'unprocessable') {
    super(message, details);
    this.code = code;
  }
}

/** 429: a limit the business set (daily purchase cap) or a rate limit. */
export class LimitReachedError extends AppError {
  readonly status = 429;
  readonly code = 'limit_reached';
}

export class DependencyUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'dependency_unavailable';
}

/** A stored answer replayed as it was first sent (idempotency). */
export class ReplayedResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('replayed response');
  }
}

/** A Redis command from the request path: a dead connection answers 503 (retry later), not 500. */
export async function orRedisUnavailable<T>(command: Promise<T>, what: string): Promise<T> {
  try {
    return await command;
  } catch (error) {
    throw new DependencyUnavailableError(`Redis did not answer (${what}); retry shortly`, { cause: (error as Error).message });
  }
}
