import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobName, JobQueue, OnJob, ProcessRoles } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';
import { PoolCapacityService } from '../inventory/capacity/pool-capacity.service';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.OpsSample]: Record<string, never>;
  }
}

/** One hour's figures on the dashboard's 30-day chart. */
export interface OpsSample {
  /** start of the hour (ISO 8601) */
  at: string;
  utilizationRate: number;
  activeSessions: number;
  readyPoolCount: number;
}

export const OPS_SAMPLE_SCHEDULER = 'ops-sample-hourly';
const HOUR_MS = 3600_000;
const KEEP_MS = 30 * 24 * HOUR_MS;
// one hash field per hour: a job that runs twice in an hour overwrites its own sample
const KEY = 'ops:hourly-samples';

/**
 * The figures behind the dashboard's chart, recorded by the service itself:
 * a BullMQ job scheduler (once across every instance, unlike a cron in each)
 * samples pool utilization and active sessions each hour into one Redis hash
 * holding at most 30 days (720 fields).
 */
@Injectable()
export class OpsSamples implements OnApplicationBootstrap {
  private readonly logger = new Logger(OpsSamples.name);

  constructor(
    private readonly capacity: PoolCapacityService,
    private readonly jobs: JobQueue,
    private readonly redis: RedisService,
    private readonly roles: ProcessRoles,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.roles.workers) return;
    // on the hour, every hour: every instance computes the same start, so restarts keep the rhythm
    // (and start-up adds no store reads to a process that is just coming up)
    const nextHour = Math.ceil((Date.now() + 1) / HOUR_MS) * HOUR_MS;
    await this.jobs.schedule(JobName.OpsSample, OPS_SAMPLE_SCHEDULER, { every: HOUR_MS, startDate: new Date(nextHour) }, {});
  }

  @OnJob(JobName.OpsSample)
  async recordNow(): Promise<OpsSample> {
    const health = await this.capacity.health();
    const hour = Math.floor(health.checkedAt.getTime() / HOUR_MS) * HOUR_MS;
    const sample: OpsSample = {
      at: new Date(hour).toISOString(),
      utilizationRate: health.utilizationRate,
      activeSessions: health.activeSessions,
      readyPoolCount: health.readyPoolCount,
    };
    await this.redis.client.hset(KEY, String(hour), JSON.stringify(sample));
    const stale = (await this.redis.client.hkeys(KEY)).filter((field) => Number(field) < hour - KEEP_MS);
    if (stale.length) await this.redis.client.hdel(KEY, ...stale);
    this.logger.log(`Hourly sample: utilization ${health.utilizationRate.toFixed(2)}, ${health.activeSessions} active session(s)`);
    return sample;
  }

  /** the last 30 days, oldest first */
  async list(): Promise<OpsSample[]> {
    const since = Date.now() - KEEP_MS;
    const rows = await this.redis.client.hgetall(KEY);
    return Object.entries(rows)
      .filter(([hour]) => Number(hour) >= since)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, json]) => JSON.parse(json) as OpsSample);
  }
}
