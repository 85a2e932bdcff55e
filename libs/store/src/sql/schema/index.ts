// The sql driver's tables; drizzle-kit reads this file to generate migrations.
export * from './sitters.table';
export * from './clients.table';
export * from './numbers.table';
export * from './sessions.table';
export * from './messages.table';
export * from './audit.table';
export * from './sms-conversations.table';
