export * from './distributed-lock';
export * from './redis.module';
export * from './redis.service';
export * from './bullmq-settle';
export * from './redis-connections';
