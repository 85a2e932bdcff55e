import { FastifyInstance } from 'fastify';
import { FaultInjector } from '../faults/fault-injector';
import { SimOperation } from '../faults/operations';
import { TwilioErrors } from './twilio-api-error';

/** The Twilio host's first label: the path prefix the app's rerouting client uses. */
export type TwilioProduct = 'api' | 'proxy' | 'conversations' | 'messaging';

export interface TwilioCall {
  params: Record<string, string>;
  /** the form-encoded body; repeated keys (MediaUrl) and dotted keys (MessagingBinding.Address) as sent */
  form: URLSearchParams;
  query: URLSearchParams;
  /** the path as Twilio knows it: without the product prefix and the query */
  twilioPath: string;
}
export interface TwilioAnswer {
  status: number;
  body?: unknown;
}
type Handler = (call: TwilioCall) => TwilioAnswer;

/** One REST request the app made, as sent (contract tests check these against Twilio's OpenAPI specs). */
export interface RestCallRecord {
  product: TwilioProduct;
  method: 'GET' | 'POST' | 'DELETE';
  /** the path as Twilio knows it, e.g. /v1/Services/KS.../Sessions */
  path: string;
  form: [string, string][];
  query: [string, string][];
}

/**
 * Registers one product's routes. Every route is one named operation, so the
 * injected latency, errors and held answers of that operation apply to it;
 * the effect of the operation happens between the two.
 */
export class TwilioRouter {
  constructor(
    private readonly app: FastifyInstance,
    private readonly faults: FaultInjector,
    private readonly product: TwilioProduct,
    private readonly accountSid: string,
    private readonly record: (call: RestCallRecord) => void = () => undefined,
  ) {}

  get(url: string, op: SimOperation, handler: Handler): void {
    this.route('GET', url, op, handler);
  }
  post(url: string, op: SimOperation, handler: Handler): void {
    this.route('POST', url, op, handler);
  }
  delete(url: string, op: SimOperation, handler: Handler): void {
    this.route('DELETE', url, op, handler);
  }

  private route(method: 'GET' | 'POST' | 'DELETE', url: string, op: SimOperation, handler: Handler): void {
    const prefix = `/${this.product}`;
    this.app.route({
      method,
      url: prefix + url,
      handler: async (req, reply) => {
        const [path, search = ''] = req.url.split('?', 2);
        const params = req.params as Record<string, string>;
        const twilioPath = path.slice(prefix.length);
        if (params.AccountSid !== undefined && params.AccountSid !== this.accountSid) throw TwilioErrors.authenticate();
        const form = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
        const query = new URLSearchParams(search);
        this.record({ product: this.product, method, path: twilioPath, form: [...form], query: [...query] });
        await this.faults.beforeOperation(op);
        const answer = handler({ params, form, query, twilioPath });
        await this.faults.afterOperation(op);
        reply.code(answer.status);
        return answer.body === undefined ? reply.send() : reply.send(answer.body);
      },
    });
  }
}
