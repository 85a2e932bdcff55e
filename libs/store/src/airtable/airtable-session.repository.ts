import { Injectable } from '@nestjs/common';
import { Session } from '../domain';
import { NumberRepository, OpenSessionInput, OpenSessionResult, RecordNotFoundError, SessionRepository } from '../ports';
import { AirtableGateway } from './airtable-gateway';
import { and, before } from './airtable-formula';
import { monotonicNow, sortableKey } from './airtable-keys';
import { AirtableLocks } from './airtable-locks';
import { choiceLabel, toSession } from './airtable-mappers';
import { AirtableReadCache } from './airtable-read-cache';
import { activeListKey, activeListVersion, isActiveMatch, pairLookup, poolLookup, sessionLookups } from './airtable-session-index';
import { AirtableTable, TableSort } from './airtable-table';
import { AirtableTables } from './airtable-tables';
import { AirtableTouchLedger, later } from './airtable-touch-ledger';
import { AirtableWriteQueue } from './airtable-write-queue';

const OLDEST_FIRST: TableSort<'sessions'> = [
  ['createdAt', 'asc'],
  ['sessionKey', 'asc'],
];
// A lost race (only possible when a lock expired) is retried this many times.
const OPEN_ATTEMPTS = 3;

@Injectable()
export class AirtableSessionRepository extends SessionRepository {
  private readonly table: AirtableTable<'sessions', Session>;

  constructor(
    gateway: AirtableGateway,
    tables: AirtableTables,
    private readonly cache: AirtableReadCache,
    private readonly locks: AirtableLocks,
    private readonly ledger: AirtableTouchLedger,
    private readonly queue: AirtableWriteQueue,
    private readonly numbers: NumberRepository,
  ) {
    super();
    this.table = new AirtableTable(gateway, tables.sessions, 'session', toSession);
  }

  async findById(id: string): Promise<Session | null> {
    return this.one(await this.cached(id));
  }

  findActiveForClientAndSitter(clientId: string, sitterId: string): Promise<Session | null> {
    return this.findActive('pair', pairLookup(clientId, sitterId), { clientId, sitterId });
  }

  /** the sitter-to-client path: which conversation a sitter's reply to pool number P belongs to */
  findActiveBySitterAndPoolNumber(sitterId: string, poolNumber: string): Promise<Session | null> {
    return this.findActive('pool', poolLookup(sitterId, poolNumber), { sitterId, poolNumber });
  }

  /**
   * Claims a free pool number for a sitter. A known pair is answered from the
   * cache; otherwise everything runs under the sitter's lock, which guards
   * every change to the sitter's active sessions: read them, pick the oldest
   * ready pool number none of them holds, create, then re-read to confirm.
   */
  async openOrGet(input: OpenSessionInput): Promise<OpenSessionResult> {
    const { clientId, sitterId } = input;
    const known = await this.cache.peek<Session>('session', 'pair', pairLookup(clientId, sitterId), (s) => isActiveMatch(s, clientId, sitterId));
    if (known.value) return { outcome: 'existing', session: (await this.one(known.value))! };
    return this.locks.with([`sitter-sessions:${sitterId}`], async () => {
      for (let attempt = 1; ; attempt++) {
        const active = await this.cache.list(activeListKey(sitterId), activeListVersion(sitterId), () => this.loadActive(sitterId));
        const mine = active.find((s) => s.clientId === clientId);
        if (mine) {
          await this.remember(mine);
          return { outcome: 'existing', session: (await this.one(mine))! };
        }
        const taken = new Set(active.map((s) => s.poolNumber));
        const free = (await this.numbers.listReadyPool()).find((n) => n.phoneNumber && !taken.has(n.phoneNumber));
        if (!free) return { outcome: 'exhausted' };

        const [created] = await this.table.create(
          [
            {
              sessionKey: sortableKey('s'),
              clientId,
              sitterId,
              reservedNumber: input.reservedNumber,
              poolNumber: free.phoneNumber,
              status: choiceLabel('active'),
              lastActivityAt: input.now,
              createdAt: monotonicNow(),
            },
          ],
          'sessionKey',
        );
        const confirmed = await this.loadActive(sitterId);
        const rival = confirmed.find((s) => s.clientId === clientId || s.poolNumber === created.poolNumber);
        if (!rival || rival.id === created.id) {
          await this.cache.putList(activeListKey(sitterId), activeListVersion(sitterId), confirmed);
          await this.remember(created);
          return { outcome: 'created', session: created };
        }
        // someone wrote without our lock and got there first: ours goes, theirs stands
        await this.table.delete([created.id]);
        await this.cache.bump(activeListVersion(sitterId));
        if (rival.clientId === clientId) return { outcome: 'existing', session: rival };
        if (attempt >= OPEN_ATTEMPTS) return { outcome: 'exhausted' };
      }
    });
  }

  /** last activity lands behind (see AirtableTouchLedger); readers see it at once */
  async touch(id: string, at: Date): Promise<void> {
    if (!(await this.cached(id))) throw new RecordNotFoundError('session', id);
    await this.ledger.record('sessions', id, at);
    await this.queue.addTouch({ table: 'sessions', id });
  }

  async close(id: string, reason: string, at: Date): Promise<Session | null> {
    const known = await this.cached(id);
    if (!known) throw new RecordNotFoundError('session', id);
    return this.locks.with([`sitter-sessions:${known.sitterId}`], async () => {
      const current = await this.table.find(id);
      if (!current) throw new RecordNotFoundError('session', id);
      if (current.status !== 'active') return null;
      const closed = await this.table.update(id, { status: choiceLabel('closed'), closedAt: at, closeReason: reason });
      await this.remember(closed);
      await this.cache.bump(activeListVersion(closed.sitterId));
      return this.one(closed);
    });
  }

  async listIdleSince(cutoff: Date, limit: number): Promise<Session[]> {
    const stored = await this.table.list(
      and(this.active(), before(this.table.field('lastActivityAt'), cutoff)),
      [['lastActivityAt', 'asc'], ...OLDEST_FIRST],
      { maxRecords: limit },
    );
    // a touch still waiting to land may already make a session not idle
    return (await this.withTouches(stored)).filter((s) => s.lastActivityAt < cutoff);
  }

  async listActiveByReservedNumber(reservedNumber: string): Promise<Session[]> {
    return this.withTouches(await this.table.list(and(this.active(), this.table.eq('reservedNumber', reservedNumber)), OLDEST_FIRST));
  }

  countActive(): Promise<number> {
    return this.table.count(this.active(), 'status');
  }

  countActiveByPoolNumber(poolNumber: string): Promise<number> {
    return this.table.count(and(this.active(), this.table.eq('poolNumber', poolNumber)), 'status');
  }

  countAll(): Promise<number> {
    return this.table.count(undefined, 'status');
  }

  /** the active session whose fields equal `where`, through the read cache */
  private async findActive(index: string, value: string, where: Partial<Record<'clientId' | 'sitterId' | 'poolNumber', string>>): Promise<Session | null> {
    const entries = Object.entries(where) as ['clientId' | 'sitterId' | 'poolNumber', string][];
    const found = await this.cache.lookup(
      'session',
      index,
      value,
      () => this.table.first(and(this.active(), ...entries.map(([k, v]) => this.table.eq(k, v))), OLDEST_FIRST),
      (s) => s.status === 'active' && entries.every(([k, v]) => s[k] === v),
    );
    return this.one(found);
  }

  private active() {
    return this.table.eq('status', choiceLabel('active'));
  }

  private cached(id: string): Promise<Session | null> {
    return this.cache.record('session', id, () => this.table.find(id));
  }

  private loadActive(sitterId: string): Promise<Session[]> {
    return this.table.list(and(this.active(), this.table.eq('sitterId', sitterId)), OLDEST_FIRST);
  }

  private remember(session: Session): Promise<void> {
    return this.cache.put('session', session, sessionLookups(session));
  }

  private async one(session: Session | null): Promise<Session | null> {
    return session ? (await this.withTouches([session]))[0] : null;
  }

  private async withTouches(sessions: Session[]): Promise<Session[]> {
    const pending = await this.ledger.overlay('sessions', sessions.map((s) => s.id));
    return sessions.map((s) => {
      const p = pending.get(s.id);
      return p?.at ? { ...s, lastActivityAt: later(s.lastActivityAt, p.at)! } : s;
    });
  }
}
