import { FastifyInstance } from 'fastify';
import { isOperationPattern, SimOperationPattern } from '../faults/operations';
import type { TwilioSimulator } from '../twilio-simulator';

/**
 * `/_sim/*`: a small JSON surface for people trying the app in embedded mode
 * (send a text to a number, see what was bought and sent, break an operation).
 * Unauthenticated: it only listens where the simulator listens (127.0.0.1 by default).
 */
const phone = { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$' } as const;

interface InboundBody {
  from: string;
  to: string;
  body: string;
  media_urls?: string[];
  message_sid?: string;
}
interface FaultBody {
  operation: string;
  status?: number;
  code?: number;
  message?: string;
  times?: number;
  rate?: number;
  retry_after_seconds?: number;
  latency_ms?: number;
  timeout_after_effect_ms?: number;
}

export function registerControlRoutes(server: FastifyInstance, sim: TwilioSimulator): void {
  server.get('/_sim/state', async () => ({
    owned_numbers: sim.ownedNumbers.map((n) => ({ sid: n.sid, phone_number: n.phoneNumber, friendly_name: n.friendlyName, sms_url: n.smsUrl })),
    purchases: sim.purchases.map((p) => ({ sid: p.sid, phone_number: p.phoneNumber, friendly_name: p.friendlyName, requested_area_code: p.requestedAreaCode, at: p.at })),
    messages: sim.messages.map((m) => ({ sid: m.sid, from: m.from, to: m.to, body: m.body, media_urls: m.mediaUrls, status: m.status, error_code: m.errorCode })),
    proxy_inbound: sim.proxy.inbound.map((o) => ({ message_sid: o.messageSid, outcome: o.outcome, session_sid: o.sessionSid, detail: o.detail ?? null })),
    proxy_sessions: sim.proxy.sessions.map((s) => ({ sid: s.sid, unique_name: s.uniqueName, status: s.status, ttl: s.ttl })),
    proxy_interactions: sim.proxy.interactions.map((i) => ({ sid: i.sid, session_sid: i.sessionSid, status: i.status, inbound_participant_sid: i.inboundParticipantSid, outbound_participant_sid: i.participantSid })),
    inbound_messages: sim.inboundMessages.map((m) => ({ message_sid: m.messageSid, from: m.from, to: m.to, body: m.body, url: m.url })),
    webhook_deliveries: sim.webhookDeliveries.map((d) => ({ kind: d.kind, url: d.url, status: d.status, error: d.error, at: d.at })),
    messaging_services: sim.messaging.services.map((s) => ({ sid: s.sid, friendly_name: s.friendlyName, phone_numbers: sim.messaging.numbers.filter((n) => n.serviceSid === s.sid).map((n) => n.phoneNumber) })),
    conversations: sim.conversations.map((c) => ({ sid: c.sid, friendly_name: c.friendlyName, state: c.state })),
    conversation_participants: sim.conversationParticipants.map((p) => ({ sid: p.sid, conversation_sid: p.conversationSid, address: p.address, proxy_address: p.proxyAddress })),
  }));

  server.post<{ Body: InboundBody }>(
    '/_sim/inbound-sms',
    {
      schema: {
        body: {
          type: 'object',
          required: ['from', 'to', 'body'],
          properties: { from: phone, to: phone, body: { type: 'string' }, media_urls: { type: 'array', items: { type: 'string' } }, message_sid: { type: 'string' } },
        },
      },
    },
    async (req, reply) => {
      const { from, to, body, media_urls, message_sid } = req.body;
      if (!sim.ownedNumbers.some((n) => n.phoneNumber === to && (n.smsUrl || sim.proxy.numbers.some((p) => p.phoneNumber === to)))) return reply.code(404).send({ error: '"to" is not an owned number with an SMS webhook' });
      const answer = await sim.sendInboundSms({ from, to, body, mediaUrls: media_urls, messageSid: message_sid });
      return { message_sid: answer.messageSid, app_status: answer.status, app_body: answer.body };
    },
  );

  server.post<{ Body: FaultBody }>(
    '/_sim/faults',
    {
      schema: {
        body: {
          type: 'object',
          required: ['operation'],
          properties: {
            operation: { type: 'string' },
            status: { type: 'integer', minimum: 400, maximum: 599 },
            code: { type: 'integer' },
            message: { type: 'string' },
            times: { type: 'integer', minimum: 1 },
            rate: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
            retry_after_seconds: { type: 'integer', minimum: 0 },
            latency_ms: { type: 'integer', minimum: 0 },
            timeout_after_effect_ms: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (req, reply) => {
      const f = req.body;
      if (!isOperationPattern(f.operation)) return reply.code(400).send({ error: `unknown operation "${f.operation}"` });
      const op: SimOperationPattern = f.operation;
      if (f.latency_ms !== undefined) sim.injectLatency(op, f.latency_ms, f.times);
      else if (f.timeout_after_effect_ms !== undefined) sim.injectTimeoutAfterEffect(op, { delayMs: f.timeout_after_effect_ms, times: f.times });
      else if (f.status !== undefined && f.code !== undefined) sim.injectFault(op, { status: f.status, code: f.code, message: f.message, times: f.times, rate: f.rate, retryAfterSeconds: f.retry_after_seconds });
      else return reply.code(400).send({ error: 'give status and code, latency_ms, or timeout_after_effect_ms' });
      return reply.code(201).send({ injected: op });
    },
  );

  server.delete('/_sim/faults', async (_req, reply) => {
    sim.clearFaults();
    return reply.code(204).send();
  });

  server.post<{ Body: { area_code: string; count: number } }>(
    '/_sim/available-numbers',
    {
      schema: {
        body: {
          type: 'object',
          required: ['area_code', 'count'],
          properties: { area_code: { type: 'string', pattern: '^[2-9]\\d{2}$' }, count: { type: 'integer', minimum: 0, maximum: 10000 } },
        },
      },
    },
    async (req) => {
      sim.setAvailableNumbers(req.body.area_code, req.body.count);
      return { area_code: req.body.area_code, available: sim.availableNumbers(req.body.area_code).length };
    },
  );

  server.post<{ Body: { area_code: string; sms_url?: string } }>(
    '/_sim/owned-numbers',
    {
      schema: {
        body: {
          type: 'object',
          required: ['area_code'],
          properties: { area_code: { type: 'string', pattern: '^[2-9]\\d{2}$' }, sms_url: { type: 'string' } },
        },
      },
    },
    async (req, reply) => {
      const owned = sim.addOwnedNumber({ areaCode: req.body.area_code, smsUrl: req.body.sms_url });
      return reply.code(201).send({ sid: owned.sid, phone_number: owned.phoneNumber, sms_url: owned.smsUrl });
    },
  );

  // once a Messaging Service exists, texts from numbers outside every service fail with 30034
  server.post<{ Body: { sid?: string; friendly_name?: string } }>(
    '/_sim/messaging-services',
    {
      schema: {
        body: { type: 'object', properties: { sid: { type: 'string', pattern: '^MG[0-9a-fA-F]{32}$' }, friendly_name: { type: 'string' } } },
      },
    },
    async (req, reply) => {
      const service = sim.addMessagingService({ sid: req.body?.sid, friendlyName: req.body?.friendly_name });
      return reply.code(201).send({ sid: service.sid, friendly_name: service.friendlyName });
    },
  );

  server.post('/_sim/reset', async (_req, reply) => {
    sim.reset();
    return reply.code(204).send();
  });
}
