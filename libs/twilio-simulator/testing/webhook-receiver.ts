import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface ReceivedWebhook {
  path: string;
  method: string;
  params: Record<string, string>;
  signature: string;
  /** checked the way the app must: official helper, public URL, parsed form */
  signatureValid: boolean;
}

/**
 * For tests: a tiny HTTP server standing in for the app. It validates every
 * X-Twilio-Signature with twilio.validateRequest and answers `answerStatus`.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answerStatus = 200;
  private server: Server | null = null;
  private base = '';

  constructor(private readonly authToken: string) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const [path, query = ''] = (req.url ?? '/').split('?', 2);
        const isPost = req.method === 'POST';
        const params = Object.fromEntries(new URLSearchParams(isPost ? Buffer.concat(chunks).toString('utf8') : query));
        const signature = String(req.headers['x-twilio-signature'] ?? '');
        // Twilio signs the full URL, query included (for POST too)
        const signedUrl = this.base + req.url;
        const signatureValid = twilio.validateRequest(this.authToken, signature, signedUrl, isPost ? params : {});
        this.received.push({ path, method: req.method ?? '', params, signature, signatureValid });
        res.writeHead(this.answerStatus, { 'Content-Type': 'text/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
