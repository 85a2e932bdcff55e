export * from './jobs';
export * from './job-context';
export * from './job-queue';
export * from './job-worker-host';
export * from './jobs.module';
