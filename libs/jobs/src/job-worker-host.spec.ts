import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '@maskline/config';
import { RedisModule, RedisService, settleBullConnections } from '@maskline/redis';
import type { Queue } from 'bullmq';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis-cleanup';
import { JobQueue } from './job-queue';
import { JobHandlerError, ProcessRoles } from './job-worker-host';
import { JobName, JobOf, OnJob, QueueName } from './jobs';
import { JobsModule } from './jobs.module';

@Injectable()
class SweepOne {
  readonly ran: unknown[] = [];
  @OnJob(JobName.SessionExpirySweep)
  async sweep(job: JobOf<JobName.SessionExpirySweep>): Promise<string> {
    this.ran.push(job.data);
    return 'swept';
  }
}

@Injectable()
class SweepTwo {
  @OnJob(JobName.SessionExpirySweep)
  async alsoSweep(): Promise<void> {}
}

@Injectable()
class StrayHandler {
  @OnJob(JobName.PurchaseNumber)
  async buy(): Promise<void> {}
}

describe('job handlers at start-up (real Redis)', () => {
  const prefix = uniquePrefix('jobs');
  const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix });
  afterAll(() => deleteRedisPrefix(prefix));

  /** a context running the SessionExpiry queue only, with these providers; closed again if its start-up fails */
  async function start(providers: (new (...args: never[]) => object)[], roles = new ProcessRoles(false, false)) {
    @Module({ providers })
    class Feature {}
    const module = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), RedisModule, JobsModule.forRoot(config, roles, [QueueName.SessionExpiry]), Feature],
    }).compile();
    return module.init().catch(async (error) => {
      const queue = module.get<Queue>(getQueueToken(QueueName.SessionExpiry));
      await settleBullConnections(queue);
      await queue.close();
      await module.get(RedisService).onApplicationShutdown();
      throw error;
    });
  }

  it('fails naming the job when it has no handler', async () => {
    await expect(start([])).rejects.toThrow(new JobHandlerError('job "sweep" (queue session-expiry) has no handler: mark one service method @OnJob(JobName.SessionExpirySweep)'));
  });

  it('fails naming the job and both handlers when it has two', async () => {
    await expect(start([SweepOne, SweepTwo])).rejects.toThrow('job "sweep" has 2 handlers (SweepOne.sweep, SweepTwo.alsoSweep): keep one');
  });

  it('fails naming a handler whose queue this process does not run', async () => {
    await expect(start([SweepOne, StrayHandler])).rejects.toThrow('job "purchase-number" has a handler (StrayHandler.buy) but its queue number-purchase is not in use');
  });

  it('runs a queued job on its one handler in a worker process', async () => {
    const app = await start([SweepOne], new ProcessRoles(false, true));
    try {
      const jobs = app.get(JobQueue);
      const id = await jobs.queue(JobName.SessionExpirySweep, {});
      const deadline = Date.now() + 10_000;
      while ((await jobs.find(JobName.SessionExpirySweep, id))?.returnvalue !== 'swept') {
        if (Date.now() > deadline) throw new Error('the job did not complete');
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(app.get(SweepOne).ran).toEqual([{}]);
    } finally {
      await app.close();
    }
  });
});
