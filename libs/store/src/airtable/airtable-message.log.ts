import { Injectable } from '@nestjs/common';
import { Message } from '../domain';
import { MessageLog, RecordMessageInput } from '../ports';
import { AirtableGateway } from './airtable-gateway';
import { monotonicNow, sortableKey } from './airtable-keys';
import { fieldsOf, toMessage } from './airtable-mappers';
import { AirtableMessageLedger } from './airtable-message-ledger';
import { AirtableTable } from './airtable-table';
import { AirtableTables } from './airtable-tables';
import { AirtableWriteQueue } from './airtable-write-queue';

/** Writes go through the write-behind queue (a webhook never waits on Airtable); reads go to Airtable. */
@Injectable()
export class AirtableMessageLog extends MessageLog {
  private readonly table: AirtableTable<'messages', Message>;

  constructor(
    gateway: AirtableGateway,
    tables: AirtableTables,
    private readonly queue: AirtableWriteQueue,
    private readonly ledger: AirtableMessageLedger,
  ) {
    super();
    this.table = new AirtableTable(gateway, tables.messages, 'message', toMessage);
  }

  async record(input: RecordMessageInput): Promise<void> {
    const key = sortableKey('m');
    const now = monotonicNow();
    const fields = fieldsOf(this.table.t, {
      writeId: key,
      direction: input.direction,
      sessionId: input.sessionId ?? null,
      from: input.from,
      to: input.to,
      body: input.body,
      // JSON, not one URL per line: nothing stops a URL from holding a newline
      mediaUrls: input.mediaUrls?.length ? JSON.stringify(input.mediaUrls) : null,
      inboundSid: input.inboundSid ?? null,
      twilioSid: input.twilioSid ?? null,
      status: input.status,
      errorCode: input.errorCode ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await this.queue.addMessage({ key, fields, twilioSid: input.twilioSid });
  }

  /** callbacks of one message accumulate and land as one write (see AirtableMessageLedger) */
  async updateStatus(twilioSid: string, status: string, errorCode: string | null): Promise<void> {
    await this.ledger.accumulate(twilioSid, { status, errorCode });
    await this.queue.addStatus({ twilioSid });
  }

  findByTwilioSid(twilioSid: string): Promise<Message | null> {
    return this.table.first(this.table.eq('twilioSid', twilioSid), [['createdAt', 'asc']]);
  }

  listBySession(sessionId: string): Promise<Message[]> {
    return this.table.list(this.table.eq('sessionId', sessionId), [
      ['createdAt', 'asc'],
      ['writeId', 'asc'],
    ]);
  }
}
