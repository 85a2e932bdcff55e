import { Injectable } from '@nestjs/common';
import { Client, Session } from '../domain';
import { AirtableGateway } from './airtable-gateway';
import { or } from './airtable-formula';
import { monotonicNow } from './airtable-keys';
import { choiceLabel, fieldsOf, toSession } from './airtable-mappers';
import { AirtableReadCache } from './airtable-read-cache';
import { activeListVersion, sessionLookups } from './airtable-session-index';
import { AirtableTable } from './airtable-table';
import { AirtableTables } from './airtable-tables';

/**
 * Folds a duplicate client (a first contact holding the phone a synced record
 * now has) into the record that stays: its sessions move over, and where both
 * had an active session with the same sitter the duplicate's is closed, since
 * a pair has one active session. The caller deletes the duplicate afterwards.
 */
@Injectable()
export class AirtableClientMerge {
  private readonly sessions: AirtableTable<'sessions', Session>;

  constructor(
    private readonly gateway: AirtableGateway,
    tables: AirtableTables,
    private readonly cache: AirtableReadCache,
  ) {
    this.sessions = new AirtableTable(gateway, tables.sessions, 'session', toSession);
  }

  /** returns what the keeper takes over from the duplicate */
  async fold(stray: Client, keeper: Client): Promise<Pick<Client, 'sitterId' | 'lastActiveAt'>> {
    const both = await this.sessions.list(or(this.sessions.eq('clientId', stray.id), this.sessions.eq('clientId', keeper.id)));
    const keeperActive = new Set(both.filter((s) => s.clientId === keeper.id && s.status === 'active').map((s) => s.sitterId));
    const now = monotonicNow();
    const moves = both
      .filter((s) => s.clientId === stray.id)
      .map((s) => {
        const duplicate = s.status === 'active' && keeperActive.has(s.sitterId);
        const closing = duplicate ? { status: choiceLabel('closed'), closedAt: now, closeReason: 'client_merged' } : {};
        return { id: s.id, fields: fieldsOf(this.sessions.t, { clientId: keeper.id, ...closing }) };
      });
    if (moves.length) {
      const moved = (await this.gateway.update(this.sessions.name, moves)).map(this.sessions.map);
      await Promise.all(moved.map((s) => this.cache.put('session', s, sessionLookups(s))));
      await Promise.all([...new Set(moved.map((s) => s.sitterId))].map((id) => this.cache.bump(activeListVersion(id))));
    }
    const times = [keeper.lastActiveAt, stray.lastActiveAt].filter((d): d is Date => d !== null);
    return {
      sitterId: keeper.sitterId ?? stray.sitterId,
      lastActiveAt: times.length ? new Date(Math.max(...times.map((d) => d.getTime()))) : null,
    };
  }
}
