import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { maskPhonesInText } from '../phone/phone';

// Keys whose values are never logged: message bodies and credentials.
const SECRET_KEYS = /^(body|Body|authorization|x-api-key|x-twilio-signature|cookie|password|token|authToken|apiKey|api_key|adminPassword)$/;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Copies a log object with phone numbers masked and secrets/bodies replaced.
 * Only plain objects and arrays are walked: pino-http hands in the raw
 * request/response objects, which its serializers reduce afterwards (and
 * walking a socket graph on every log line would cost more than the request).
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhonesInText(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) return { type: value.name, message: maskPhonesInText(value.message), stack: value.stack && maskPhonesInText(value.stack) };
  if (Array.isArray(value)) return value.map((v) => redactForLog(v, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redactForLog(v, depth + 1);
  return out;
}

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
