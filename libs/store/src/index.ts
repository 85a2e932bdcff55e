export * from './domain';
export * from './ports';
export * from './store.module';
export { AIRTABLE_WRITES_QUEUE } from './airtable/airtable-writes-queue.name';
