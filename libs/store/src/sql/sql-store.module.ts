import { Module } from '@nestjs/common';
import { AuditLog, ClientRepository, MessageLog, NumberRepository, SessionRepository, SitterRepository, StoreHealth } from '../ports';
import { SqlDatabaseModule } from './database/sql-database.module';
import { SqlAuditLog } from './repositories/sql-audit.log';
import { SqlClientRepository } from './repositories/sql-client.repository';
import { SqlMessageLog } from './repositories/sql-message.log';
import { SqlNumberRepository } from './repositories/sql-number.repository';
import { SqlSessionRepository } from './repositories/sql-session.repository';
import { SqlSitterRepository } from './repositories/sql-sitter.repository';
import { SqlStoreHealth } from './repositories/sql-store.health';

/**
 * The `sql` driver: PGlite in DATA_DIR, or PostgreSQL when DATABASE_URL is
 * set. Needs AppConfig from the global ConfigModule. SqlDatabase (from
 * SqlDatabaseModule) is exported for features that keep their own tables in
 * the same database.
 */
@Module({
  imports: [SqlDatabaseModule],
  providers: [
    { provide: SitterRepository, useClass: SqlSitterRepository },
    { provide: ClientRepository, useClass: SqlClientRepository },
    { provide: NumberRepository, useClass: SqlNumberRepository },
    { provide: SessionRepository, useClass: SqlSessionRepository },
    { provide: MessageLog, useClass: SqlMessageLog },
    { provide: AuditLog, useClass: SqlAuditLog },
    { provide: StoreHealth, useClass: SqlStoreHealth },
  ],
  exports: [SqlDatabaseModule, SitterRepository, ClientRepository, NumberRepository, SessionRepository, MessageLog, AuditLog, StoreHealth],
})
export class SqlStoreModule {}
