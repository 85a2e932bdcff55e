export * from './domain';
export * from './ports';
export * from './store.module';
// Outreach keeps its table in SQL whatever STORE_DRIVER says: the SQL connection on its own, and that table.
export { SqlDatabaseModule } from './sql/database/sql-database.module';
export { SqlDatabase } from './sql/database/sql-database';
export type { SqlTx } from './sql/database/sql-query-layer';
export { retryOnRace } from './sql/database/sql-errors';
export { smsConversations } from './sql/schema/sms-conversations.table';
export type { SmsConversationRow } from './sql/schema/sms-conversations.table';
