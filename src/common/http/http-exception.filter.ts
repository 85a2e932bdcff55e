import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReplayedResponse } from './app-errors';
import { toErrorResponse } from './error-response';

/** Every failure leaves as `{ success: false, error, details }` with its status. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ReplayedResponse) {
      reply.header('Idempotent-Replayed', 'true').status(exception.status).send(exception.body);
      return;
    }
    const { status, body, headers } = toErrorResponse(exception);
    if (status >= 500) this.logger.error({ err: exception }, 'request failed');
    reply.headers(headers).status(status).send(body);
  }
}
