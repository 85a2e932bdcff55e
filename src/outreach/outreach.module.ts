import { Module } from '@nestjs/common';
import { SqlDatabaseModule } from '@maskline/store';
import { OutreachController } from './outreach.controller';
import { OutreachConversationService } from './outreach-conversation.service';
import { OutreachConversationStore } from './outreach-conversations.port';
import { OutreachTwilioCleanup } from './outreach-twilio-cleanup';
import { SqlOutreachConversations } from './sql-outreach-conversations';

/**
 * Outreach conversations (SPEC section 7). Always on SQL: SqlDatabaseModule
 * is imported here directly, not through StoreModule, so the database opens
 * with STORE_DRIVER=airtable too (one shared SqlDatabase when the sql driver
 * is in use as well).
 */
@Module({
  imports: [SqlDatabaseModule],
  controllers: [OutreachController],
  providers: [OutreachConversationService, OutreachTwilioCleanup, { provide: OutreachConversationStore, useClass: SqlOutreachConversations }],
})
export class OutreachModule {}
