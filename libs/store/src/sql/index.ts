// The sql driver's public surface: the module for StoreModule, and the database
// plus its transaction helpers for features keeping their own tables here (outreach).
export { SqlStoreModule } from './sql-store.module';
export { SqlDatabase } from './database/sql-database';
export { SqlDatabaseModule } from './database/sql-database.module';
export { smsConversations, smsConversationStatus } from './schema/sms-conversations.table';
export type { SmsConversationRow } from './schema/sms-conversations.table';
export type { SqlDb, SqlExecutor, SqlTx } from './database/sql-db';
export { openSqlConnection, connectionOptionsFromConfig } from './database/sql-connection';
export type { SqlConnection, SqlConnectionOptions } from './database/sql-connection';
export { resolveMigrationsFolder } from './database/migrations-folder';
export { advisoryLockKey, lockForTransaction } from './database/lock-keys';
export { isUniqueViolation, retryOnRace } from './database/sql-errors';
