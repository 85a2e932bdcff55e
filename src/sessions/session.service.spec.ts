import { Logger } from '@nestjs/common';
import type { AppConfig } from '@maskline/config';
import type { JobQueue } from '@maskline/jobs';
import type { AuditLog, ClientRepository, Session, SessionRepository, SitterRepository } from '@maskline/store';
import { strictFake } from '../../test/support/strict-fake';
import { NotFoundError } from '../common/http/app-errors';
import type { PoolSupply } from './pool-supply';
import { ACTIVITY_RESOLUTION_MS, idleCutoff, isIdlePastTtl, SessionService } from './session.service';

const NOW = new Date('2025-03-15T12:00:00Z');
const config = { relay: { sessionTtlDays: 14 }, twilio: { relayMode: 'messaging' } } as AppConfig;
const session = (over: Partial<Session> = {}): Session => ({
  id: 'session-1',
  clientId: 'client-1',
  sitterId: 'sitter-1',
  reservedNumber: '+13035550100',
  poolNumber: '+17205550142',
  status: 'active',
  lastActivityAt: new Date('2025-03-14T12:00:00Z'),
  createdAt: new Date('2025-03-01T12:00:00Z'),
  closedAt: null,
  closeReason: null,
  ...over,
});
const stale = () => session({ lastActivityAt: new Date('2025-02-28T12:00:00Z') });
const closed = (s: Session) => ({ ...s, status: 'closed' as const, closedAt: NOW, closeReason: 'expired' });

function build(sessions: Partial<SessionRepository>) {
  const repo = strictFake<SessionRepository>('sessions', sessions);
  const audit = strictFake<AuditLog>('audit', { record: async () => undefined });
  const pool = strictFake<PoolSupply>('pool', { requestExhaustionPurchase: async () => undefined });
  const clients = strictFake<ClientRepository>('clients', {});
  const sitters = strictFake<SitterRepository>('sitters', {});
  return { service: new SessionService(repo, audit, pool, config, clients, sitters, strictFake<JobQueue>('jobs')), repo, audit, pool };
}

describe('SessionService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const pair = [{ id: 'client-1' }, { id: 'sitter-1' }, '+13035550100'] as const;

  it('audits a newly opened session and answers an ongoing one with a plain read', async () => {
    const opened = build({ findActiveForClientAndSitter: async () => null, openOrGet: async () => ({ outcome: 'created' as const, session: session() }) });
    await opened.service.openForPair(...pair, NOW);
    expect(opened.repo.openOrGet).toHaveBeenCalledWith({ clientId: 'client-1', sitterId: 'sitter-1', reservedNumber: '+13035550100', now: NOW });
    expect(opened.audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'session_opened', sitterId: 'sitter-1', clientId: 'client-1' }));

    // strict fake: openOrGet (the locked path) is not even offered
    const ongoing = build({ findActiveForClientAndSitter: async () => session() });
    await expect(ongoing.service.openForPair(...pair, NOW)).resolves.toMatchObject({ outcome: 'existing', session: { id: 'session-1' } });
    expect(ongoing.audit.record).not.toHaveBeenCalled();
  });

  it('answers the winner of a concurrent open as it is', async () => {
    const w = build({ findActiveForClientAndSitter: async () => null, openOrGet: async () => ({ outcome: 'existing' as const, session: session() }) });
    await expect(w.service.openForPair(...pair, NOW)).resolves.toMatchObject({ outcome: 'existing' });
    expect(w.audit.record).not.toHaveBeenCalled();
  });

  it('closes a session idle past the TTL before the sweep does, and opens a fresh one', async () => {
    const old = stale();
    const fresh = session({ id: 'session-2' });
    const w = build({
      findActiveForClientAndSitter: async () => old,
      openOrGet: async () => ({ outcome: 'created' as const, session: fresh }),
      close: async (id: string) => (id === old.id ? closed(old) : null),
    });
    await expect(w.service.openForPair(...pair, NOW)).resolves.toEqual({ outcome: 'created', session: fresh });
    expect(w.repo.close).toHaveBeenCalledWith(old.id, 'expired', NOW);
    expect(w.audit.record.mock.calls.map(([e]) => e.eventType)).toEqual(['session_closed', 'session_opened']);
  });

  it('requests an exhaustion purchase when no pool number is free', async () => {
    const w = build({ findActiveForClientAndSitter: async () => null, openOrGet: async () => ({ outcome: 'exhausted' as const }) });
    await expect(w.service.openForPair(...pair, NOW)).resolves.toEqual({ outcome: 'exhausted' });
    expect(w.pool.requestExhaustionPurchase).toHaveBeenCalledWith({ sitterId: 'sitter-1' });
  });

  it('treats a stale session on a pool number as gone', async () => {
    const w = build({ findActiveBySitterAndPoolNumber: async () => stale(), close: async () => closed(stale()) });
    await expect(w.service.findActiveOnPoolNumber('sitter-1', '+17205550142', NOW)).resolves.toBeNull();
    expect(w.repo.close).toHaveBeenCalledTimes(1);
  });

  it('sweeps idle sessions in batches and counts only the ones it closed', async () => {
    const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ ...stale(), id: `s-${from + i}` }));
    const w = build({
      listIdleSince: jest.fn().mockResolvedValueOnce(batch(100, 0)).mockResolvedValueOnce(batch(3, 100)),
      // one of them was closed by someone else in the meantime
      close: async (id: string) => (id === 's-7' ? null : closed(session({ id }))),
    });
    await expect(w.service.expireIdle(NOW)).resolves.toBe(102);
    expect(w.repo.listIdleSince).toHaveBeenCalledWith(new Date('2025-03-01T12:00:00Z'), 100);
    expect(w.audit.record).toHaveBeenCalledTimes(102);
  });

  it('closing by id is idempotent and 404s an unknown id', async () => {
    const done = closed(session());
    const w = build({ findById: async (id: string) => (id === done.id ? done : null) });
    await expect(w.service.closeById(done.id, 'closed_by_api', NOW)).resolves.toBe(done);
    await expect(w.service.closeById('nope', 'closed_by_api', NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps activity to the minute: a session touched under a minute ago costs no write', async () => {
    const w = build({ touch: async () => undefined });
    const recent = session({ lastActivityAt: new Date(NOW.getTime() - ACTIVITY_RESOLUTION_MS + 1) });
    await w.service.recordActivity(recent, NOW);
    expect(w.repo.touch).not.toHaveBeenCalled();
    const older = session({ lastActivityAt: new Date(NOW.getTime() - ACTIVITY_RESOLUTION_MS) });
    await w.service.recordActivity(older, NOW);
    expect(w.repo.touch).toHaveBeenCalledWith(older.id, NOW);
  });
});

describe('session TTL', () => {
  const now = new Date('2025-03-15T12:00:00Z');

  it('puts the cutoff TTL days before now', () => {
    expect(idleCutoff(now, 14).toISOString()).toBe('2025-03-01T12:00:00.000Z');
  });

  it('expires a session only strictly past the TTL', () => {
    expect(isIdlePastTtl(new Date('2025-03-01T11:59:59Z'), now, 14)).toBe(true);
    expect(isIdlePastTtl(new Date('2025-03-01T12:00:00Z'), now, 14)).toBe(false);
    expect(isIdlePastTtl(new Date('2025-03-14T00:00:00Z'), now, 14)).toBe(false);
  });
});
