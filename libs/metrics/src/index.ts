import { Global, Module } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** How a purchase request ended, as /metrics counts it. */
export type PurchaseOutcome = 'requested' | 'ready' | 'failed' | 'cap_reached';
/** What became of a relayed message's send. */
export type RelayOutcome = 'sent' | 'failed';

/**
 * The service's Prometheus counters, one set per app. Each app has its own
 * Registry: prom-client's default one is global, and several apps in one
 * process (tests) would clash on "already registered". The counters are
 * incremented where the thing happens (the libraries take this class as an
 * optional dependency, so a context without it still runs); gauges that need
 * a read (queue depths, pool utilization) are collected by src/metrics at
 * scrape time.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'maskline_http_request_duration_seconds',
    help: 'HTTP request durations by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly jobsFinished = this.counter('maskline_jobs_finished_total', 'BullMQ jobs this process finished, by queue and outcome (completed, failed)', ['queue', 'outcome']);

  readonly purchases = this.counter(
    'maskline_number_purchases_total',
    'Number purchases by outcome: requested (accepted, pending), ready, failed (for good), cap_reached (refused by MAX_PURCHASES_PER_DAY)',
    ['outcome'],
  );

  readonly relayedMessages = this.counter(
    'maskline_relayed_messages_total',
    'Relayed SMS sends by direction and outcome (sent: Twilio accepted it; failed: refused for good)',
    ['direction', 'outcome'],
  );

  readonly deliveryFailures = this.counter('maskline_delivery_failures_total', 'Failed or undelivered relayed messages by Twilio error code', ['code']);

  readonly airtableRequests = this.counter('maskline_airtable_requests_total', 'Requests sent to the Airtable API');

  readonly airtableRateLimited = this.counter('maskline_airtable_rate_limited_total', 'Airtable answers 429 (too many requests)');

  purchase(outcome: PurchaseOutcome, count = 1): void {
    this.purchases.inc({ outcome }, count);
  }

  relayed(direction: string, outcome: RelayOutcome): void {
    this.relayedMessages.inc({ direction, outcome });
  }

  deliveryFailed(code: string | null): void {
    this.deliveryFailures.inc({ code: code ?? 'none' });
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}

/** One Metrics per app, for every module. */
@Global()
@Module({ providers: [{ provide: Metrics, useFactory: () => new Metrics() }], exports: [Metrics] })
export class MetricsCoreModule {}
