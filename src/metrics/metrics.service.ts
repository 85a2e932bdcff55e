import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '@maskline/config';
import { JobQueue, queuesInUse } from '@maskline/jobs';
import { Metrics } from '@maskline/metrics';
import { PoolHealthCache } from './pool-health-cache';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * /metrics: the counters of @maskline/metrics, plus two gauges read at scrape
 * time: BullMQ queue depths (a few Redis counts) and the pool figures from
 * the one cached summary (never a store query per scrape).
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  private readonly logger = new Logger(MetricsService.name);

  constructor(
    private readonly metrics: Metrics,
    private readonly jobs: JobQueue,
    private readonly pool: PoolHealthCache,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const queues = queuesInUse(this.config);
    const jobs = this.jobs;
    const logger = this.logger;
    new Gauge({
      name: 'maskline_queue_jobs',
      help: 'BullMQ jobs per queue and state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          queues.map(async (queue) => {
            const counts = await jobs.queueNamed(queue).getJobCounts(...QUEUE_STATES);
            for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
          }),
        ).catch((err: Error) => logger.warn(`queue gauges skipped: ${err.message}`));
      },
    });
    const pool = this.pool;
    new Gauge({
      name: 'maskline_pool',
      help: 'Pool figures: utilization (active sessions / ready pool numbers), threshold, ready and pending pool numbers, active sessions',
      labelNames: ['figure'] as const,
      registers,
      async collect() {
        try {
          const h = await pool.get();
          this.set({ figure: 'utilization' }, h.utilizationRate);
          this.set({ figure: 'threshold' }, h.threshold);
          this.set({ figure: 'ready_pool_numbers' }, h.readyPoolCount);
          this.set({ figure: 'pending_pool_numbers' }, h.pendingPoolCount);
          this.set({ figure: 'active_sessions' }, h.activeSessions);
        } catch (err) {
          logger.warn(`pool gauges skipped: ${(err as Error).message}`);
        }
      },
    });
  }

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  render(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/**
 * Times every HTTP request by its route template (`/numbers/:id`, never the
 * raw URL: ids would make one series per record).
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
