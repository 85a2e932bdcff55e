import { Module } from '@nestjs/common';
import { AuditLog, ClientRepository, MessageLog, NumberRepository, SessionRepository, SitterRepository, StoreHealth } from '../ports';
import { AirtableAuditLog } from './airtable-audit.log';
import { AirtableClientMerge } from './airtable-client-merge';
import { AirtableClientRepository } from './airtable-client.repository';
import { AirtableGateway } from './airtable-gateway';
import { AirtableLocks } from './airtable-locks';
import { AirtableMessageLog } from './airtable-message.log';
import { AirtableMessageLedger } from './airtable-message-ledger';
import { AirtableNumberRepository } from './airtable-number.repository';
import { AirtableRateLimiter } from './airtable-rate-limiter';
import { AirtableReadCache } from './airtable-read-cache';
import { AirtableSchemaCheck } from './airtable-schema-check';
import { AirtableSessionRepository } from './airtable-session.repository';
import { AirtableSitterRepository } from './airtable-sitter.repository';
import { AirtableStoreHealth } from './airtable-store.health';
import { AirtableTables } from './airtable-tables';
import { AirtableTouchLedger } from './airtable-touch-ledger';
import { AirtableWriteHandlers } from './airtable-write-handlers';
import { AirtableWriteQueue } from './airtable-write-queue';
import { AirtableWriteWorker } from './airtable-write-worker';

/**
 * The `airtable` storage driver. Needs AppConfig, RedisService/DistributedLock
 * and JobQueue (global ConfigModule, RedisModule and JobsModule, whose worker
 * host runs the write-behind jobs in worker processes). Exports the record
 * ports and the write-behind queue (for graceful drains).
 */
@Module({
  providers: [
    AirtableTables,
    AirtableRateLimiter,
    AirtableGateway,
    AirtableReadCache,
    AirtableLocks,
    AirtableTouchLedger,
    AirtableMessageLedger,
    AirtableWriteQueue,
    AirtableWriteHandlers,
    AirtableWriteWorker,
    AirtableSchemaCheck,
    AirtableClientMerge,
    { provide: SitterRepository, useClass: AirtableSitterRepository },
    { provide: ClientRepository, useClass: AirtableClientRepository },
    { provide: NumberRepository, useClass: AirtableNumberRepository },
    { provide: SessionRepository, useClass: AirtableSessionRepository },
    { provide: MessageLog, useClass: AirtableMessageLog },
    { provide: AuditLog, useClass: AirtableAuditLog },
    { provide: StoreHealth, useClass: AirtableStoreHealth },
  ],
  exports: [SitterRepository, ClientRepository, NumberRepository, SessionRepository, MessageLog, AuditLog, StoreHealth, AirtableWriteQueue],
})
export class AirtableStoreModule {}
