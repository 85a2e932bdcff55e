export * from './domain';
export * from './ports';
export * from './store.module';
