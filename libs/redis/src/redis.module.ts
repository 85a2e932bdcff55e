import { Global, Module } from '@nestjs/common';
import { DistributedLock } from './distributed-lock';
import { RedisService } from './redis.service';

@Global()
@Module({ providers: [RedisService, DistributedLock], exports: [RedisService, DistributedLock] })
export class RedisModule {}
