import { Logger } from '@nestjs/common';
import type { AppConfig } from '@maskline/config';
import type { JobQueue } from '@maskline/jobs';
import type { RedisService } from '@maskline/redis';
import type { AuditLog, Client, ClientRepository, MessageLog, Session, Sitter, SitterRepository } from '@maskline/store';
import type { TelephonyGateway } from '@maskline/telephony';
import { strictFake } from '../../../test/support/strict-fake';
import type { ProxyServiceRef } from '../../inventory/purchase/proxy-service-ref';
import type { SessionService } from '../../sessions/session.service';
import type { RelayRouting } from '../relay/relay-routing';
import type { ProxyInteraction } from '../rules/proxy-interaction';
import { INTERCEPT_DECISION_MS, ProxyInterceptService } from './proxy-intercept.service';
import type { ProxySessionLink, ProxySessionMap } from './proxy-session-map';

const NOW = new Date('2026-03-01T12:00:00Z');
const sid = (prefix: string, digit: string) => prefix + digit.repeat(32);
const link: ProxySessionLink = { sessionId: 'session-1', proxySessionSid: sid('KC', '1'), clientParticipantSid: sid('KP', 'c'), sitterParticipantSid: sid('KP', '5') };
const session = { id: 'session-1', clientId: 'client-1', sitterId: 'sitter-1', reservedNumber: '+13035550100', poolNumber: '+17205550142' } as Session;
const client = { id: 'client-1', name: 'Alice Smith', phone: '+17195550112' } as Client;
const sitter = { id: 'sitter-1', phone: '+19705550001' } as Sitter;
const text = (over: Partial<ProxyInteraction> = {}): ProxyInteraction => ({
  interactionSid: sid('KI', 'a'),
  sessionSid: link.proxySessionSid,
  isMessage: true,
  inboundParticipantSid: link.clientParticipantSid,
  outboundParticipantSid: link.sitterParticipantSid,
  inboundMessageSid: sid('SM', 'e'),
  body: 'Hi',
  ...over,
});

function build(resolve: ProxySessionMap['resolve']) {
  const jobs = strictFake<JobQueue>('jobs', { queue: async () => 'job-id' });
  const audit = strictFake<AuditLog>('audit', { record: async () => undefined });
  const service = new ProxyInterceptService(
    strictFake<ProxySessionMap>('links', { resolve }),
    strictFake<RelayRouting>('routing'),
    strictFake<SessionService>('sessions', { recordActivity: async () => undefined }),
    strictFake<ClientRepository>('clients', { findById: async () => client }),
    strictFake<SitterRepository>('sitters', { findById: async () => sitter }),
    strictFake<MessageLog>('messages', { record: async () => undefined }),
    audit,
    jobs,
    { client: { exists: async () => 0 } } as unknown as RedisService,
    strictFake<TelephonyGateway>('telephony'),
    strictFake<ProxyServiceRef>('proxyService'),
    { relay: { sendAttempts: 8 } } as AppConfig,
  );
  return { service, jobs, audit };
}

describe('ProxyInterceptService.decide', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => jest.useRealTimers());

  it('passes a one-sided interaction (our own re-send) and a call without looking anything up', async () => {
    const w = build(async () => {
      throw new Error('not expected');
    });
    await expect(w.service.decide(text({ inboundParticipantSid: null }), NOW)).resolves.toBe('pass');
    await expect(w.service.decide(text({ isMessage: false }), NOW)).resolves.toBe('pass');
    expect(w.audit.record).not.toHaveBeenCalled();
  });

  it("blocks a client's text and queues one prefixed re-send keyed by the interaction", async () => {
    const w = build(async () => ({ link, session }));
    await expect(w.service.decide(text(), NOW)).resolves.toBe('block');
    expect(w.jobs.queue).toHaveBeenCalledTimes(1);
    const [, data, opts] = w.jobs.queue.mock.calls[0] as unknown as [string, Record<string, unknown>, { jobId: string }];
    expect(data).toMatchObject({ body: '[Alice Smith]: Hi', sitterParticipantSid: link.sitterParticipantSid, from: session.poolNumber, to: sitter.phone });
    expect(opts.jobId).toBe(`proxy-resend-${sid('KI', 'a')}`);
  });

  it("passes the sitter's reply", async () => {
    const w = build(async () => ({ link, session }));
    await expect(w.service.decide(text({ inboundParticipantSid: link.sitterParticipantSid }), NOW)).resolves.toBe('pass');
    expect(w.jobs.queue).not.toHaveBeenCalled();
  });

  it('fails open on an error: passes, audits, queues nothing', async () => {
    const w = build(async () => {
      throw new Error('store unreachable');
    });
    await expect(w.service.decide(text(), NOW)).resolves.toBe('pass');
    expect(w.audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'proxy_intercept_failed_open', details: expect.objectContaining({ reason: 'store unreachable' }) }));
    expect(w.jobs.queue).not.toHaveBeenCalled();
  });

  it('passes after the deadline, and a decision that comes later queues no re-send', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    let release!: (value: { link: ProxySessionLink; session: Session }) => void;
    const w = build(() => new Promise((resolve) => (release = resolve)));
    const decided = w.service.decide(text(), NOW);
    await jest.advanceTimersByTimeAsync(INTERCEPT_DECISION_MS);
    await expect(decided).resolves.toBe('pass');
    release({ link, session });
    await jest.advanceTimersByTimeAsync(10);
    expect(w.jobs.queue).not.toHaveBeenCalled();
    expect(w.audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'proxy_intercept_failed_open' }));
  });
});
