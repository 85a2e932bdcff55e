import { Logger } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { loadConfig } from '@maskline/config';
import { ProcessRoles, QueueUnavailableError, QueueName } from '@maskline/jobs';
import type { AuditLog, Client, ClientRepository, InventoryNumber, NumberRepository, Session, Sitter, SitterRepository } from '@maskline/store';
import { strictFake } from '../../../test/support/strict-fake';
import type { SessionService } from '../../sessions/session.service';
import { InboundRelayService, NO_SESSION_NOTICE } from './inbound-relay.service';
import { InboundSpool } from './inbound-spool';
import { RelayRouting } from './relay-routing';
import type { JobQueue } from '@maskline/jobs';
import type { HeldRelayMessages } from '../pool-hold/held-relay-messages';
import type { RouteInboundJobData } from './inbound-relay.service';
import type { RelaySenderService } from './relay-sender.service';

const NOW = new Date('2025-03-01T12:00:00Z');
const RESERVED = '+13035550100';
const POOL = '+17205550142';
const sitter: Sitter = { id: 'sitter-1', name: 'Anna', phone: '+19705550001', email: null, status: 'active', reservedNumber: RESERVED, createdAt: NOW, updatedAt: NOW };
const client: Client = {
  id: 'client-1',
  name: 'Alice Smith',
  firstName: 'Alice',
  lastName: 'Smith',
  phone: '+17195550112',
  timeToPetId: 'ttp-1',
  email: null,
  address: null,
  sitterId: null,
  lastActiveAt: null,
  source: 'sync',
  createdAt: NOW,
  updatedAt: NOW,
};
const session: Session = { id: 'session-1', clientId: client.id, sitterId: sitter.id, reservedNumber: RESERVED, poolNumber: POOL, status: 'active', lastActivityAt: NOW, createdAt: NOW, closedAt: null, closeReason: null };
const poolNumber = { lifecycle: 'pool', status: 'ready', phoneNumber: POOL } as InventoryNumber;
const sms = (over: Partial<RouteInboundJobData> = {}): RouteInboundJobData => ({
  messageSid: 'SM' + '1'.repeat(32),
  from: client.phone,
  to: RESERVED,
  body: 'Hi',
  mediaUrls: [],
  receivedAt: NOW.toISOString(),
  ...over,
});

const spool = new InboundSpool(loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', REDIS_PREFIX: `spool-spec-${process.pid}` }));

function build(ports: {
  sitters?: Partial<SitterRepository>;
  numbers?: Partial<NumberRepository>;
  clients?: Partial<ClientRepository>;
  sessions?: Partial<SessionService>;
  jobs?: Partial<JobQueue>;
}) {
  const fakes = {
    sitters: strictFake<SitterRepository>('sitters', ports.sitters),
    numbers: strictFake<NumberRepository>('numbers', ports.numbers),
    clients: strictFake<ClientRepository>('clients', ports.clients),
    audit: strictFake<AuditLog>('audit', { record: async () => undefined }),
    sessions: strictFake<SessionService>('sessions', ports.sessions),
    relay: strictFake<RelaySenderService>('relay', { send: async () => undefined }),
  };
  const jobs = strictFake<JobQueue>('jobs', ports.jobs);
  const roles = new ProcessRoles(true, false);
  const routing = new RelayRouting(fakes.sitters, fakes.numbers, fakes.clients, fakes.audit, fakes.sessions);
  const service = new InboundRelayService(routing, fakes.clients, fakes.audit, fakes.sessions, fakes.relay, strictFake<HeldRelayMessages>('held'), jobs, spool, roles);
  return { service, jobs, ...fakes };
}

describe('InboundRelayService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('client → sitter: one lookup, session opened, activity recorded, prefixed send from the pool number', async () => {
    const w = build({
      sitters: { findByReservedNumber: async () => sitter },
      clients: { findByPhone: async () => client, touch: async () => undefined },
      sessions: { openForPair: async () => ({ outcome: 'created' as const, session }), recordActivity: async () => undefined },
    });
    await expect(w.service.route(sms(), NOW)).resolves.toBe('relayed');
    expect(w.clients.findByPhone).toHaveBeenCalledWith(client.phone);
    expect(w.sessions.openForPair).toHaveBeenCalledWith(client, sitter, RESERVED, NOW);
    expect(w.sessions.recordActivity).toHaveBeenCalledWith(session, NOW);
    expect(w.clients.touch).toHaveBeenCalledWith(client.id, NOW, sitter.id);
    expect(w.relay.send).toHaveBeenCalledWith({
      direction: 'client_to_sitter',
      sessionId: session.id,
      inboundSid: sms().messageSid,
      from: POOL,
      to: sitter.phone,
      body: '[Alice Smith]: Hi',
      mediaUrls: [],
    });
    expect(w.audit.record).not.toHaveBeenCalled();
  });

  it('does not rewrite the last activity of a client active in the last minute', async () => {
    const recent = { ...client, sitterId: sitter.id, lastActiveAt: new Date(NOW.getTime() - 10_000) };
    const w = build({
      sitters: { findByReservedNumber: async () => sitter },
      clients: { findByPhone: async () => recent },
      sessions: { openForPair: async () => ({ outcome: 'existing' as const, session }), recordActivity: async () => undefined },
    });
    await expect(w.service.route(sms(), NOW)).resolves.toBe('relayed');
    expect(w.sessions.recordActivity).toHaveBeenCalledWith(session, NOW);
  });

  it('audits a first contact and labels it by the last four digits', async () => {
    const stranger = { ...client, name: null, source: 'first_contact' as const };
    const w = build({
      sitters: { findByReservedNumber: async () => sitter },
      clients: { findByPhone: async () => null, findOrCreateByPhone: async () => ({ client: stranger, created: true }), touch: async () => undefined },
      sessions: { openForPair: async () => ({ outcome: 'existing' as const, session }), recordActivity: async () => undefined },
    });
    await w.service.route(sms(), NOW);
    expect(w.clients.findOrCreateByPhone).toHaveBeenCalledWith(client.phone, sitter.id);
    expect(w.audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'client_first_contact', clientId: client.id, sitterId: sitter.id }));
    expect(w.relay.send.mock.calls[0][0].body).toBe('[Client ...0112]: Hi');
  });

  it('holds the message when the pool is exhausted, auditing only the first hold, sending nothing', async () => {
    const w = build({
      sitters: { findByReservedNumber: async () => sitter },
      clients: { findByPhone: async () => client },
      sessions: { openForPair: async () => ({ outcome: 'exhausted' as const }) },
    });
    await expect(w.service.route(sms(), NOW)).resolves.toBe('held');
    await expect(w.service.route(sms({ timesHeld: 1 }), NOW)).resolves.toBe('held');
    expect(w.audit.record).toHaveBeenCalledTimes(1);
    expect(w.audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'relay_held_pool_exhausted', severity: 'warning' }));
    expect(w.relay.send).not.toHaveBeenCalled();
  });

  it('sitter → client: found by the session on that number, sent unprefixed from the reserved number, no inventory read', async () => {
    const w = build({
      sitters: { findByReservedNumber: async () => null, findByPhone: async () => sitter },
      clients: { findById: async () => client },
      sessions: { findActiveOnPoolNumber: async () => session, recordActivity: async () => undefined },
    });
    await expect(w.service.route(sms({ from: sitter.phone, to: POOL, body: 'On my way' }), NOW)).resolves.toBe('relayed');
    expect(w.sessions.findActiveOnPoolNumber).toHaveBeenCalledWith(sitter.id, POOL, NOW);
    expect(w.sessions.recordActivity).toHaveBeenCalledWith(session, NOW);
    expect(w.relay.send).toHaveBeenCalledWith(expect.objectContaining({ direction: 'sitter_to_client', from: RESERVED, to: client.phone, body: 'On my way', sessionId: session.id }));
  });

  it('sitter with no active session on that pool number: a notice back, nothing forwarded', async () => {
    const w = build({
      sitters: { findByReservedNumber: async () => null, findByPhone: async () => sitter },
      numbers: { findByPhone: async () => poolNumber },
      sessions: { findActiveOnPoolNumber: async () => null },
    });
    await expect(w.service.route(sms({ from: sitter.phone, to: POOL, body: 'Hello?' }), NOW)).resolves.toBe('notice_sent');
    expect(w.relay.send).toHaveBeenCalledTimes(1);
    expect(w.relay.send).toHaveBeenCalledWith(expect.objectContaining({ direction: 'system_notice', from: POOL, to: sitter.phone, body: NO_SESSION_NOTICE }));
  });

  it('unknown sender: audited with masked phones and no body, nothing sent', async () => {
    const w = build({
      sitters: { findByReservedNumber: async () => null, findByPhone: async () => null },
      numbers: { findByPhone: async () => poolNumber },
    });
    await expect(w.service.route(sms({ from: '+15055550999', to: POOL, body: 'secret words' }), NOW)).resolves.toBe('not_relayed');
    const event = w.audit.record.mock.calls[0][0];
    expect(event).toMatchObject({ eventType: 'relay_unknown_sender', severity: 'warning', details: { reason: 'unknown_sender' } });
    expect(JSON.stringify(event)).not.toMatch(/5055550999|secret words/);
    expect(w.relay.send).not.toHaveBeenCalled();
  });

  it('carrier keyword: audited, no client created, nothing sent', async () => {
    const w = build({ sitters: { findByReservedNumber: async () => sitter } });
    await expect(w.service.route(sms({ body: 'STOP' }), NOW)).resolves.toBe('not_relayed');
    expect(w.audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'relay_carrier_keyword', details: expect.objectContaining({ keyword: 'STOP' }) }));
  });

  describe('accept: no inbound text is lost to a Redis outage', () => {
    afterEach(() => rm(spool.dir, { recursive: true, force: true }));

    it('queues the routing job under the MessageSid', async () => {
      const w = build({ jobs: { queue: async () => 'inbound-x' } });
      await w.service.accept(sms(), NOW);
      expect(w.jobs.queue).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ messageSid: sms().messageSid }), expect.objectContaining({ jobId: `inbound-${sms().messageSid}` }));
      expect(await spool.waiting()).toEqual([]);
    });

    it('spools the text when Redis does not take it, and the replay queues it under the same id, once', async () => {
      let redisUp = false;
      const queued: string[] = [];
      const w = build({
        jobs: {
          queue: async (_name: unknown, _data: unknown, options?: { jobId?: string }) => {
            if (!redisUp) throw new QueueUnavailableError(QueueName.Relay);
            queued.push(options!.jobId!);
            return options!.jobId!;
          },
        },
      });
      await w.service.accept(sms(), NOW);
      // Twilio redelivers the same MessageSid: still one text waiting
      await w.service.accept(sms(), NOW);
      expect(await spool.waiting()).toEqual([sms().messageSid]);

      await expect(w.service.replaySpooled()).rejects.toBeInstanceOf(QueueUnavailableError);
      expect(await spool.waiting()).toHaveLength(1);

      redisUp = true;
      expect(await w.service.replaySpooled()).toBe(1);
      expect(queued).toEqual([`inbound-${sms().messageSid}`]);
      expect(await spool.waiting()).toEqual([]);
      expect(await w.service.replaySpooled()).toBe(0);
    });

    it('keeps what the webhook carried, body and media included', async () => {
      const w = build({ jobs: { queue: async () => Promise.reject(new Error('Connection is closed.')) } });
      await w.service.accept(sms({ body: 'photo', mediaUrls: ['https://cdn.example/a.jpg'] }), NOW);
      const spooled = await spool.read(sms().messageSid);
      expect(spooled?.data).toMatchObject({ body: 'photo', mediaUrls: ['https://cdn.example/a.jpg'], receivedAt: NOW.toISOString() });
    });

    it('refuses a MessageSid that could not name a file', async () => {
      await expect(spool.keep('../../etc/passwd', {})).rejects.toThrow('cannot name a spool file');
    });
  });
});
