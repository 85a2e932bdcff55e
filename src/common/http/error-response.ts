import { HttpException } from '@nestjs/common';
import { RecordNotFoundError, UniqueConflictError } from '@maskline/store';
import { LockNotAcquiredError } from '@maskline/redis';
import { QueueUnavailableError } from '@maskline/jobs';
import { AppError } from './app-errors';

export interface ErrorBody {
  success: false;
  error: string;
  details: Record<string, unknown>;
}
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
};

const body = (error: string, details: Record<string, unknown>): ErrorBody => ({ success: false, error, details });

/**
 * The store or Redis could not be reached (connection refused, reset or cut,
 * PostgreSQL shutting down): worth retrying shortly, so a 503, not a 500.
 */
export function isDependencyUnreachable(exception: unknown): boolean {
  for (let e = exception as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|57P01|57P03|08\d\d\d)$/.test(e.code)) return true;
    if (typeof e.message === 'string' && /Connection terminated|Connection is closed|connect ECONNREFUSED/.test(e.message)) return true;
  }
  return false;
}

/** Fastify's JSON parser failure, whether it reaches us raw or wrapped by Nest. */
function isInvalidJsonBody(exception: unknown): boolean {
  const e = exception as { code?: string; message?: string } | null;
  return e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /is not valid JSON/.test(e?.message ?? '');
}

/** Maps anything thrown to the one error shape. Unknown errors become a bare 500. */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof AppError) {
    return { status: exception.status, body: body(exception.message, { code: exception.code, ...exception.details }), headers: exception.headers };
  }
  if (exception instanceof RecordNotFoundError) {
    return { status: 404, body: body(exception.message, { code: 'not_found', entity: exception.entity, id: exception.id }), headers: {} };
  }
  if (exception instanceof UniqueConflictError) {
    return { status: 409, body: body(exception.message, { code: 'conflict', entity: exception.entity, rule: exception.rule }), headers: {} };
  }
  if (exception instanceof LockNotAcquiredError) {
    return { status: 409, body: body('Another request for the same record is in progress; retry shortly', { code: 'busy' }), headers: { 'Retry-After': '1' } };
  }
  if (exception instanceof QueueUnavailableError) {
    return { status: 503, body: body(exception.message, { code: 'dependency_unavailable', queue: exception.queue }), headers: {} };
  }
  if (isInvalidJsonBody(exception)) {
    return { status: 400, body: body('Request body is not valid JSON', { code: 'invalid_json' }), headers: {} };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const message = typeof res === 'string' ? res : ((res as { message?: unknown }).message ?? exception.message);
    return { status, body: body(Array.isArray(message) ? message.join('; ') : String(message), { code: STATUS_CODES[status] ?? 'error' }), headers: {} };
  }
  // Fastify's own errors (body parser, payload size) carry a statusCode.
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    return { status, body: body(fastifyError.message ?? 'Bad request', { code: STATUS_CODES[status] ?? 'bad_request' }), headers: {} };
  }
  if (isDependencyUnreachable(exception)) {
    return { status: 503, body: body('A dependency (store or Redis) did not answer; retry shortly', { code: 'dependency_unavailable' }), headers: { 'Retry-After': '5' } };
  }
  return { status: 500, body: body('Internal server error', { code: 'internal_error' }), headers: {} };
}
