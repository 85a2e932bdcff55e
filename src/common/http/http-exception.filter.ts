import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReplayedResponse } from './app-errors';
import { toErrorResponse } from './error-response';

/**
 * Every failure leaves as `{ success: false, error, details }` with its status.
 * Only bugs (500) log an error with a stack; a client's bad request and a
 * dependency outage (503) are one warn line each, written by the request log.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ReplayedResponse) {
      reply.header('Idempotent-Replayed', 'true').status(exception.status).send(exception.body);
      return;
    }
    sendError(reply, exception, this.logger);
  }
}

/** Also used for Fastify's own routing errors (frameworkErrors), which never reach Nest. */
export function sendError(reply: FastifyReply, exception: unknown, logger?: Logger): void {
  const { status, body, headers } = toErrorResponse(exception);
  if (status === 500) logger?.error({ err: exception }, 'request failed');
  reply.headers(headers).status(status).send(body);
}
