import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { maskPhonesInText } from '../phone/phone';
import { redactForLog } from './log-redaction';

/**
 * Structured JSON logs with a request id on every line. Phone numbers are
 * masked to their last four digits wherever they appear (URLs, messages,
 * fields); message bodies, keys, tokens and signatures never reach the log.
 */
export function loggerOptions(level: string, stream?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level,
        genReqId: (req: IncomingMessage) => {
          const given = req.headers['x-request-id'];
          return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        },
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskPhonesInText(req.url) }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        formatters: { log: (object: Record<string, unknown>) => redactForLog(object) as Record<string, unknown> },
        hooks: {
          logMethod(args: unknown[], method: (...a: unknown[]) => void) {
            method.apply(this, args.map((a) => (typeof a === 'string' ? maskPhonesInText(a) : a)));
          },
        },
        // a client's bad request and a dependency outage (503: retry later) are warnings; only bugs are errors
        customLogLevel: (_req: IncomingMessage, res: { statusCode: number }, err?: Error) =>
          (res.statusCode >= 500 && res.statusCode !== 503) || (err && res.statusCode < 400) ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        customSuccessMessage: (req: IncomingMessage, res: { statusCode: number }) => `${req.method} ${maskPhonesInText(req.url ?? '')} ${res.statusCode}`,
        customErrorMessage: (req: IncomingMessage, res: { statusCode: number }) => `${req.method} ${maskPhonesInText(req.url ?? '')} ${res.statusCode}`,
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}
