export * from './domain';
export * from './ports';
export * from './store.module';
export { AIRTABLE_WRITES_QUEUE } from './airtable/airtable-writes-queue.name';
// the sql driver's connection and outreach's table: outreach always lives in SQL, whatever STORE_DRIVER says
export * from './sql';
