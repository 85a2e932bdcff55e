import { Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { Message } from '../../domain';
import { MessageLog, RecordMessageInput } from '../../ports';
import { SqlDatabase } from '../database/sql-database';
import { toMessage } from '../sql-mappers';
import { messages } from '../schema';

/** Writes straight through: a local or LAN database answers in milliseconds, no queue needed. */
@Injectable()
export class SqlMessageLog extends MessageLog {
  constructor(private readonly database: SqlDatabase) {
    super();
  }

  /** a second record of one outbound MessageSid (a relay job run twice) is dropped */
  async record(input: RecordMessageInput): Promise<void> {
    await this.database.db
      .insert(messages)
      .values({
        direction: input.direction,
        sessionId: input.sessionId ?? null,
        from: input.from,
        to: input.to,
        body: input.body,
        mediaUrls: input.mediaUrls ?? [],
        inboundSid: input.inboundSid ?? null,
        twilioSid: input.twilioSid ?? null,
        status: input.status,
        errorCode: input.errorCode ?? null,
      })
      .onConflictDoNothing();
  }

  /** a callback for a message never recorded (a system notice, an older deployment) changes nothing */
  async updateStatus(twilioSid: string, status: string, errorCode: string | null): Promise<void> {
    await this.database.db.update(messages).set({ status, errorCode }).where(eq(messages.twilioSid, twilioSid));
  }

  async findByTwilioSid(twilioSid: string): Promise<Message | null> {
    const [row] = await this.database.db.select().from(messages).where(eq(messages.twilioSid, twilioSid));
    return row ? toMessage(row) : null;
  }

  async listBySession(sessionId: string): Promise<Message[]> {
    const rows = await this.database.db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.seq));
    return rows.map(toMessage);
  }
}
