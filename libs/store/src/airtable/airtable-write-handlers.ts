import { Injectable } from '@nestjs/common';
import { Client } from '../domain';
import { AirtableRequestError } from './airtable-errors';
import { AirtableGateway, AirtableRow, HeldSlot, RetryPolicy } from './airtable-gateway';
import { AirtableMessageLedger, DeliveryStatus, isProgress, MessageRef } from './airtable-message-ledger';
import { anyOf } from './airtable-formula';
import { monotonicNow } from './airtable-keys';
import { fieldsOf } from './airtable-mappers';
import { AirtableReadCache } from './airtable-read-cache';
import { AirtableTables } from './airtable-tables';
import { AirtableTouchLedger, TouchedTable } from './airtable-touch-ledger';
import { BatchOutcome } from './airtable-write-batcher';
import { AirtableWriteQueue, RecordJobData, StatusJobData } from './airtable-write-queue';

// Queued writes retry through BullMQ's backoff, not inside the request.
const queued = (slot?: HeldSlot): RetryPolicy => ({ attempts: 1, slot });

/** How each kind of queued write lands in Airtable, a batch of up to 10 at a time. */
@Injectable()
export class AirtableWriteHandlers {
  constructor(
    private readonly gateway: AirtableGateway,
    private readonly tables: AirtableTables,
    private readonly cache: AirtableReadCache,
    private readonly ledger: AirtableTouchLedger,
    private readonly messages: AirtableMessageLedger,
    private readonly queue: AirtableWriteQueue,
  ) {}

  /**
   * Keyed upsert: a job that already landed once (retry, stalled worker)
   * updates its own record. Delivery statuses reported while a message was
   * queued ride along in its write.
   */
  async landRecords(kind: 'audit' | 'messages', items: RecordJobData[], slot?: HeldSlot): Promise<BatchOutcome> {
    const t = this.tables.messages.fields;
    const keyField = kind === 'audit' ? this.tables.audit.fields.eventId : t.writeId;
    const byKey = new Map(items.map((i) => [i.key, { ...i.fields }]));
    const sids = items.flatMap((i) => (i.twilioSid ? [i.twilioSid] : []));
    // statuses reported while queued, or already written if this job ran before (a stalled worker)
    const [reported, written] =
      kind === 'messages' ? await Promise.all([this.messages.accumulated(sids), this.messages.refs(sids)]) : [new Map<string, DeliveryStatus>(), new Map()];
    for (const fields of byKey.values()) {
      const sid = String(fields[t.twilioSid]);
      for (const later of [written.get(sid), reported.get(sid)]) {
        if (later && isProgress(String(fields[t.status]), later.status)) Object.assign(fields, { [t.status]: later.status, [t.errorCode]: later.errorCode });
      }
    }
    const { rows } = await this.gateway.upsert(this.tables[kind].name, [...byKey.values()], [keyField], queued(slot));
    if (kind === 'messages') {
      const refs = this.refsOf(rows);
      await this.messages.landed(refs);
      await Promise.all([...refs].map(([sid, ref]) => this.messages.settle(sid, ref)));
      // a callback that came between reading the statuses and landing gets its own write
      const late = await this.messages.accumulated(sids);
      await Promise.all([...late.keys()].map((twilioSid) => this.queue.addStatus({ twilioSid })));
    }
    return items.map(() => null);
  }

  /** writes the furthest status Twilio reported for each message, once */
  async landStatuses(items: StatusJobData[]): Promise<BatchOutcome> {
    const t = this.tables.messages;
    const sids = [...new Set(items.map((i) => i.twilioSid))];
    const [reported, refs, queuedSids] = await Promise.all([this.messages.accumulated(sids), this.messages.refs(sids), this.messages.queuedAmong(sids)]);
    const unknown = sids.filter((s) => reported.has(s) && !refs.has(s) && !queuedSids.has(s));
    if (unknown.length) {
      const rows = await this.gateway.list(t.name, { filter: anyOf(t.fields.twilioSid, unknown), fields: [t.fields.twilioSid, t.fields.status, t.fields.errorCode] }, queued());
      this.refsOf(rows).forEach((ref, sid) => refs.set(sid, ref));
    }
    const writes = new Map<string, MessageRef>();
    const settled = new Map<string, DeliveryStatus>();
    for (const sid of sids) {
      const status = reported.get(sid);
      const ref = refs.get(sid);
      if (!status || !ref) continue;
      const changed = status.status !== ref.status || status.errorCode !== ref.errorCode;
      if (changed && isProgress(ref.status, status.status)) writes.set(sid, { id: ref.id, ...status });
      settled.set(sid, status);
    }
    if (writes.size) {
      const now = monotonicNow();
      const updates = [...writes.values()].map((w) => ({ id: w.id, fields: fieldsOf(t, { status: w.status, errorCode: w.errorCode, updatedAt: now }) }));
      try {
        await this.gateway.update(t.name, updates, queued());
      } catch (e) {
        // a record deleted in Airtable: look the sids up again on the retry
        if (e instanceof AirtableRequestError) await this.messages.forgetRefs([...writes.keys()]);
        throw e;
      }
      await this.messages.landed(writes);
    }
    // no ref and not queued after a lookup: a status for a message we never recorded, ignored
    for (const sid of sids) if (!refs.has(sid) && !queuedSids.has(sid) && reported.has(sid)) settled.set(sid, reported.get(sid)!);
    await Promise.all([...settled].map(([sid, status]) => this.messages.settle(sid, status)));
    // a message still queued takes its status along when it lands (landRecords)
    return items.map(() => null);
  }

  /** writes pending "last activity" touches without reading Airtable; never moves a written time backwards */
  async landTouches(table: TouchedTable, items: string[]): Promise<BatchOutcome> {
    const ids = [...new Set(items)];
    const [pending, landed] = await Promise.all([this.ledger.pending(table, ids), this.ledger.landed(table, ids)]);
    const relinked: string[] = [];
    const updates = [];
    for (const [id, p] of pending) {
      const values: Record<string, unknown> = {};
      const last = landed.get(id);
      if (p.at && (!last || p.at > last)) values[table === 'sessions' ? 'lastActivityAt' : 'lastActiveAt'] = p.at;
      if (p.sitterId && (await this.cache.peekRecord<Client>('client', id)).value?.sitterId !== p.sitterId) {
        values.sitterId = p.sitterId;
        relinked.push(id);
      }
      if (Object.keys(values).length) updates.push({ id, fields: fieldsOf(this.tables[table], values) });
    }
    if (updates.length) {
      const name = this.tables[table].name;
      try {
        await this.gateway.update(name, updates, queued());
      } catch (e) {
        if (!(e instanceof AirtableRequestError)) throw e;
        // one record was deleted meanwhile (a merged client): land the others one by one
        for (const u of updates) await this.gateway.updateRecord(name, u.id, u.fields);
      }
      // cached records stay (readers lay the landed time over them); a new sitter link must be reloaded
      await Promise.all(relinked.map((id) => this.cache.evict('client', id)));
    }
    await Promise.all([...pending].map(([id, p]) => this.ledger.settle(table, id, p)));
    return items.map(() => null);
  }

  private refsOf(rows: AirtableRow[]): Map<string, MessageRef> {
    const t = this.tables.messages.fields;
    return new Map(
      rows
        .filter((r) => r.fields[t.twilioSid])
        .map((r) => [
          String(r.fields[t.twilioSid]),
          { id: r.id, status: String(r.fields[t.status] ?? ''), errorCode: r.fields[t.errorCode] ? String(r.fields[t.errorCode]) : null },
        ]),
    );
  }
}
