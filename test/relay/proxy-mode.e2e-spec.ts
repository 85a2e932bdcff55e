import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { JobName, QueueName } from '@maskline/jobs';
import { SessionRepository } from '@maskline/store';
import type { RestCallRecord } from '@maskline/twilio-simulator';
import { phoneFor, useRelayApp } from './support/relay-world';

jest.setTimeout(60_000);

const sid = (prefix: string, digit: string) => prefix + digit.repeat(32);

/** Proxy-only behaviour; what both transports share is in relay-flow.e2e-spec.ts, run in both modes. */
describe('relay in Proxy-service mode (RELAY_MODE=proxy, the simulator playing Proxy)', () => {
  const f = useRelayApp({ sitter: 'Proxy Sitter', poolNumbers: 6, env: { RELAY_MODE: 'proxy', TWILIO_TIMEOUT_MS: '2000' } });
  const signed = (path: string, params: Record<string, string>) =>
    request(f.t.url).post(path).set('x-twilio-signature', getExpectedTwilioSignature(f.t.config.twilio.authToken, `${f.t.url}${path}`, params)).type('form').send(params);

  it('uses a Proxy service of its own on the simulator, with our callback URLs', () => {
    const [service] = f.t.sim.proxy.services;
    expect(service).toMatchObject({ interceptCallbackUrl: `${f.t.url}/intercept`, outOfSessionCallbackUrl: `${f.t.url}/out-of-session`, defaultTtl: 14 * 86_400 });
  });

  it('puts pool numbers in the service unreserved and the reserved number reserved', () => {
    const inService = new Map(f.t.sim.proxy.numbers.map((n) => [n.phoneNumber, n.isReserved]));
    expect(inService.get(f.sitter.reserved)).toBe(true);
    const pool = f.t.sim.proxy.numbers.filter((n) => n.phoneNumber !== f.sitter.reserved);
    expect(pool).toHaveLength(6);
    expect(pool.every((n) => !n.isReserved)).toBe(true);
  });

  it('answers the auto-create session JSON on first contact, with no phone number in the unique name', async () => {
    const client = phoneFor('client');
    const first = await f.world.text({ from: client, to: f.sitter.reserved, body: 'First hello' });
    expect(first.contentType).toMatch(/^application\/json/);
    const json = JSON.parse(first.body);
    const session = await f.world.eventually(
      async () => f.world.sessions.findActiveForClientAndSitter((await f.world.clients.findByPhone(client))!.id, f.sitter.sitter.id),
      (s) => s !== null,
    );
    expect(json).toEqual({ uniqueName: `${session!.id}.${first.messageSid}`, ttl: 14 * 86_400, mode: 'message-only', participantIdentifier: f.sitter.sitter.phone, participantProxyIdentifier: session!.poolNumber });
    expect(json.uniqueName).not.toContain(client.slice(2));
    const [toSitter] = await f.world.waitForSent(f.sitter.sitter.phone, 1);
    expect(toSitter).toMatchObject({ from: session!.poolNumber, body: `[Client ...${client.slice(-4)}]: First hello` });
    expect(await f.world.auditEvents('client_first_contact')).not.toHaveLength(0);
  });

  it('never blocks its own re-sent interaction: it is one-sided, and its intercept callback passes', async () => {
    const client = phoneFor('client');
    await f.world.text({ from: client, to: f.sitter.reserved, body: 'Loop check' });
    const [toSitter] = (await f.world.waitForSent(f.sitter.sitter.phone, 2)).filter((m) => m.body.endsWith('Loop check'));
    const resent = f.t.sim.proxy.interactions.find((i) => i.message?.sid === toSitter.sid)!;
    expect(resent).toMatchObject({ inboundParticipantSid: null, status: 'forwarded' });
    const callback = f.t.sim.webhookDeliveries.find((d) => d.kind === 'proxy-intercept' && d.params.interactionSid === resent.sid);
    expect(callback?.status).toBe(200);
    // exactly one copy reached the sitter
    expect(f.world.sentTo(f.sitter.sitter.phone).filter((m) => m.body.endsWith('Loop check'))).toHaveLength(1);
  });

  it('re-sends exactly once when Twilio creates the interaction but answers too late', async () => {
    f.t.sim.injectTimeoutAfterEffect('proxy.messageInteractions.create', { delayMs: 5_000 });
    const client = phoneFor('client');
    await f.world.text({ from: client, to: f.sitter.reserved, body: 'Slow Twilio' });
    const queue = f.t.app.get<Queue>(getQueueToken(QueueName.ProxyRelay));
    const done = await f.world.eventually(
      async () => (await queue.getJobs(['completed'])).filter((j) => j.name === JobName.ProxyResendToSitter && j.data.body.endsWith('Slow Twilio')),
      (jobs) => jobs.length === 1,
      30_000,
    );
    expect(done[0].returnvalue).toMatchObject({ adopted: true });
    expect(f.world.sentTo(f.sitter.sitter.phone).filter((m) => m.body.endsWith('Slow Twilio'))).toHaveLength(1);
    f.t.sim.clearFaults();
  });

  it('lets the text through unprefixed when the store fails during the intercept, and audits it', async () => {
    const client = phoneFor('client');
    await f.world.text({ from: client, to: f.sitter.reserved, body: 'Before the outage' });
    await f.t.sim.waitFor(() => f.world.sentTo(f.sitter.sitter.phone).some((m) => m.body.endsWith('Before the outage')));
    const sessions = f.t.app.get(SessionRepository);
    const findById = jest.spyOn(sessions, 'findById').mockRejectedValue(new Error('store unreachable'));
    try {
      const during = await f.world.text({ from: client, to: f.sitter.reserved, body: 'During the outage' });
      expect(during.status).toBe(200);
      await f.t.sim.waitFor(() => f.world.sentTo(f.sitter.sitter.phone).some((m) => m.body === 'During the outage'));
    } finally {
      findById.mockRestore();
    }
    const failedOpen = await f.world.eventually(
      () => f.world.auditEvents('proxy_intercept_failed_open'),
      (events) => events.length > 0,
    );
    expect(failedOpen[0]).toMatchObject({ severity: 'warning', details: { reason: 'store unreachable' } });
    expect(JSON.stringify(failedOpen)).not.toContain('During the outage');
  });

  it('refuses a forged signature on /out-of-session and /intercept with 403, and nothing happens', async () => {
    const before = { messages: f.t.sim.messages.length, sessions: f.t.sim.proxy.sessions.length };
    const outOfSession = { MessageSid: sid('SM', 'd'), From: phoneFor('client'), To: f.sitter.reserved, Body: 'forged' };
    const intercept = { interactionSid: sid('KI', 'd'), interactionSessionSid: sid('KC', 'd'), interactionType: 'Message', inboundParticipantSid: sid('KP', 'd'), interactionData: '{"body":"x"}' };
    for (const [path, params] of [
      ['/out-of-session', outOfSession],
      ['/intercept', intercept],
    ] as const) {
      await request(f.t.url).post(path).type('form').send(params).expect(403);
      await request(f.t.url).post(path).set('x-twilio-signature', getExpectedTwilioSignature('wrong-token', `${f.t.url}${path}`, params)).type('form').send(params).expect(403);
    }
    await f.world.waitForRelayIdle();
    expect(await f.world.clients.findByPhone(outOfSession.From)).toBeNull();
    expect({ messages: f.t.sim.messages.length, sessions: f.t.sim.proxy.sessions.length }).toEqual(before);
  });

  it('answers 400 naming the field for a signed but malformed intercept callback, and passes voice and unknown sessions', async () => {
    const bad = await signed('/intercept', { interactionSid: 'KI-nope', interactionSessionSid: sid('KC', 'e'), interactionType: 'Message' }).expect(400);
    expect(Object.keys(bad.body.details.fields)).toEqual(['interactionSid']);
    const voice = { interactionSid: sid('KI', 'e'), interactionSessionSid: sid('KC', 'e'), interactionType: 'VOICE', inboundParticipantSid: sid('KP', 'e') };
    await signed('/intercept', voice).expect(200);
    // a message in a Proxy session that is none of ours (Twilio knows no such session): passes as it is
    await signed('/intercept', { ...voice, interactionType: 'message', interactionData: '{"body":"hi"}' }).expect(200);
  });

  it('closes the Proxy session when our session is closed', async () => {
    const client = phoneFor('client');
    await f.world.text({ from: client, to: f.sitter.reserved, body: 'Close me' });
    await f.t.sim.waitFor(() => f.world.sentTo(f.sitter.sitter.phone).some((m) => m.body.endsWith('Close me')));
    const ours = await f.world.sessions.findActiveForClientAndSitter((await f.world.clients.findByPhone(client))!.id, f.sitter.sitter.id);
    const proxySession = f.t.sim.proxy.sessions.find((s) => s.uniqueName?.startsWith(`${ours!.id}.`))!;
    expect(proxySession.status).not.toBe('closed');
    await request(f.t.url).post(`/sessions/${ours!.id}/close`).set(f.t.auth).expect(200);
    await f.t.sim.waitFor(() => proxySession.status === 'closed', 10_000);
  });

  it('makes only Proxy REST requests that Twilio’s OpenAPI spec allows (names, required fields, enums)', () => {
    // the specs sit beside the repository (../shared/twilio-oai), or wherever TWILIO_OAI_DIR says (a clone elsewhere)
    const candidates = [process.env.TWILIO_OAI_DIR, join(__dirname, '../../../shared/twilio-oai'), '/work/shared/twilio-oai'].filter((d): d is string => Boolean(d)).map((d) => join(d, 'twilio_proxy_v1.json'));
    const specPath = candidates.find((c) => existsSync(c));
    if (!specPath) {
      console.warn(`Proxy OpenAPI check skipped: twilio_proxy_v1.json is absent (looked in ${candidates.join(', ')})`);
      return;
    }
    const calls = f.t.sim.restCalls.filter((c) => c.product === 'proxy');
    const seen = new Set(calls.map((c) => `${c.method} ${templateOf(c.path)}`));
    // every kind of request the proxy relay makes was exercised by the tests above
    for (const op of [
      'POST /v1/Services',
      'POST /v1/Services/{ServiceSid}/PhoneNumbers',
      'GET /v1/Services/{ServiceSid}/Sessions/{Sid}',
      'GET /v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants',
      'POST /v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants/{ParticipantSid}/MessageInteractions',
      'POST /v1/Services/{ServiceSid}/Sessions/{Sid}',
      'GET /v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants/{ParticipantSid}/MessageInteractions',
    ]) {
      expect(seen).toContain(op);
    }
    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApi;
    for (const call of calls) expect(problemsWith(call, spec)).toEqual([]);
  });
});

interface OpenApiSchema {
  type?: string;
  enum?: string[];
  $ref?: string;
  pattern?: string;
  items?: OpenApiSchema;
}
interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: OpenApiSchema }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, OpenApiSchema>; required?: string[] } }> };
}
interface OpenApi {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

const TEMPLATES = [
  '/v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants/{ParticipantSid}/MessageInteractions',
  '/v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants',
  '/v1/Services/{ServiceSid}/Sessions/{Sid}',
  '/v1/Services/{ServiceSid}/Sessions',
  '/v1/Services/{ServiceSid}/PhoneNumbers/{Sid}',
  '/v1/Services/{ServiceSid}/PhoneNumbers',
  '/v1/Services/{Sid}',
  '/v1/Services',
];

function templateOf(path: string): string {
  return TEMPLATES.find((t) => new RegExp(`^${t.replace(/\{[A-Za-z]+\}/g, '[A-Z]{2}[0-9a-f]{32}')}$`).test(path)) ?? path;
}

/** What Twilio would refuse in one request: unknown path or method, an unknown or missing form field, a value outside an enum or pattern. */
function problemsWith(call: RestCallRecord, spec: OpenApi): string[] {
  const template = templateOf(call.path);
  const operation = spec.paths[template]?.[call.method.toLowerCase()];
  if (!operation) return [`${call.method} ${call.path}: no such operation`];
  const resolve = (schema: OpenApiSchema): OpenApiSchema => (schema.$ref ? spec.components.schemas[schema.$ref.split('/').pop()!] : schema);
  const problems: string[] = [];
  if (call.method === 'POST') {
    const body = operation.requestBody?.content['application/x-www-form-urlencoded']?.schema ?? {};
    const properties = body.properties ?? {};
    const sent = new Set(call.form.map(([key]) => key));
    for (const name of body.required ?? []) if (!sent.has(name)) problems.push(`${template}: required ${name} missing`);
    for (const [name, value] of call.form) {
      const schema = properties[name] ? resolve(properties[name]) : undefined;
      if (!schema) problems.push(`${template}: unknown field ${name}`);
      else if (schema.enum && !schema.enum.includes(value)) problems.push(`${template}: ${name}=${value} is not one of ${schema.enum.join(', ')}`);
      else if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${template}: ${name}=${value} does not match ${schema.pattern}`);
      else if (schema.type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`${template}: ${name}=${value} is not an integer`);
      else if (schema.type === 'boolean' && !['true', 'false'].includes(value)) problems.push(`${template}: ${name}=${value} is not a boolean`);
    }
  }
  const queryNames = new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
  for (const [name] of call.query) if (!queryNames.has(name)) problems.push(`${template}: unknown query parameter ${name}`);
  return problems;
}
