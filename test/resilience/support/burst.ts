import { createHash } from 'node:crypto';
import { RelaySitter, ResilienceWorld } from './resilience-world';
import { waitFor } from './processes';

export interface BurstPlan {
  messages: number;
  purchases: number;
  /** webhooks per second the burst aims at */
  ratePerSecond: number;
}

export interface Tally {
  webhookStatus: Record<string, number>;
  zapierStatus: Record<string, number>;
  acceptedIds: string[];
  /** webhooks answered so far */
  sent: number;
}

const PURCHASE_BATCH = 10;

function messageSid(tag: string, i: number): string {
  const tagHex = createHash('sha1').update(tag).digest('hex').slice(0, 8);
  return `SM${tagHex}${i.toString(16).padStart(24, '0')}`;
}

export const messageBody = (tag: string, i: number) => `text #${i} of ${tag}`;

/**
 * A burst of inbound texts (client → sitter, spread over sitters and their
 * clients) at a steady rate, with purchase requests of 10 interleaved. A
 * purchase refused with 503 (Redis or the store away) is asked again, as
 * Zapier's replay would; a webhook is posted once, as Twilio does.
 */
export class Burst {
  readonly tally: Tally = { webhookStatus: {}, zapierStatus: {}, acceptedIds: [], sent: 0 };
  readonly done: Promise<void>;

  constructor(
    private readonly world: ResilienceWorld,
    private readonly sitters: RelaySitter[],
    readonly tag: string,
    readonly plan: BurstPlan,
  ) {
    this.done = this.run();
  }

  /** resolves once this share of the webhooks has been answered */
  reached(share: number): Promise<unknown> {
    return waitFor(`${Math.round(share * 100)} % of the burst`, () => this.tally.sent >= Math.floor(share * this.plan.messages), 10 * 60_000, 50);
  }

  private async run(): Promise<void> {
    const { messages, purchases, ratePerSecond } = this.plan;
    const batches = Math.ceil(purchases / PURCHASE_BATCH);
    const every = Math.max(1, Math.floor(messages / Math.max(1, batches)));
    const started = Date.now();
    let next = 0;
    let batchesSent = 0;
    const requests: Array<Promise<void>> = [];
    const lane = async () => {
      while (next < messages) {
        const i = next++;
        const due = started + (i * 1000) / ratePerSecond;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        if (i % every === 0 && batchesSent < batches) {
          const quantity = Math.min(PURCHASE_BATCH, purchases - batchesSent * PURCHASE_BATCH);
          batchesSent += 1;
          requests.push(this.purchase(quantity));
        }
        const sitter = this.sitters[i % this.sitters.length];
        const client = sitter.clients[Math.floor(i / this.sitters.length) % sitter.clients.length];
        const status = await this.world.inbound(messageSid(this.tag, i), client, sitter.reserved, messageBody(this.tag, i));
        this.tally.webhookStatus[status] = (this.tally.webhookStatus[status] ?? 0) + 1;
        this.tally.sent += 1;
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
    while (batchesSent < batches) {
      const quantity = Math.min(PURCHASE_BATCH, purchases - batchesSent * PURCHASE_BATCH);
      batchesSent += 1;
      await this.purchase(quantity);
    }
    await Promise.all(requests);
  }

  /** asked again on 503 (bounded), as a Zapier step replay would */
  private async purchase(quantity: number): Promise<void> {
    const deadline = Date.now() + 4 * 60_000;
    while (Date.now() < deadline) {
      const { status, ids } = await this.world.purchase(quantity);
      this.tally.zapierStatus[status] = (this.tally.zapierStatus[status] ?? 0) + 1;
      if (status === 202) {
        this.tally.acceptedIds.push(...ids);
        return;
      }
      // 503 (Redis or the store away) and no answer are worth asking again; anything else is counted as it is
      if (status !== 503 && status !== 0 && status < 500) return;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export interface Outcome {
  purchases: { requested: number; accepted: number; bought: number; failed: number; duplicates: number; lost: number };
  messages: { requested: number; relayed: number; duplicates: number; lost: number };
  webhookStatus: Record<string, number>;
  zapierStatus: Record<string, number>;
  seconds: number;
  failures: string[];
  /** store writes that landed more than once */
  doubledWrites: string[];
}

/** Waits until everything settled, then counts what Twilio (the simulator) saw against what was asked. */
export async function settle(world: ResilienceWorld, burst: Burst, startedAt: number, timeoutMs = 5 * 60_000): Promise<Outcome> {
  await burst.done;
  const { tag, plan, tally } = burst;
  const phase = (what: string) => process.stdout.write(`[resilience ${tag}] ${what} after ${Math.round((Date.now() - startedAt) / 1000)} s\n`);
  phase('burst sent');
  const bodyRe = new RegExp(`text #(\\d+) of ${tag}$`);
  const relayedCounts = async () => {
    const counts = new Map<number, number>();
    for (const m of (await world.simState()).messages) {
      const match = bodyRe.exec(m.body);
      if (match) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
    }
    return counts;
  };
  await waitFor(
    'every text relayed and every purchase settled',
    async () => {
      const counts = await relayedCounts();
      const records = await world.purchaseRecords(tally.acceptedIds);
      return counts.size >= plan.messages && records.every((r) => r.status !== 'pending');
    },
    timeoutMs,
    1_000,
  ).catch(() => undefined); // counted below either way: the figures say what is missing
  phase('relayed and settled');
  await world.quiet(2 * 60_000).catch((error: Error) => process.stdout.write(`[resilience ${tag}] ${error.message}\n`));

  const counts = await relayedCounts();
  const relayedDistinct = counts.size;
  const msgDuplicates = [...counts.values()].reduce((a, c) => a + Math.max(0, c - 1), 0);
  const records = await world.purchaseRecords(tally.acceptedIds);
  const tokens = new Set(records.map((r) => r.purchase_token));
  const simPurchases = (await world.simState()).purchases.filter((p) => tokens.has(p.friendly_name));
  const perToken = new Map<string, number>();
  for (const p of simPurchases) perToken.set(p.friendly_name, (perToken.get(p.friendly_name) ?? 0) + 1);
  const bought = records.filter((r) => r.status === 'ready').length;
  const failed = records.filter((r) => r.status === 'failed');
  const outcome: Outcome = {
    purchases: {
      requested: plan.purchases,
      accepted: tally.acceptedIds.length,
      bought,
      failed: failed.length,
      duplicates: [...perToken.values()].reduce((a, c) => a + Math.max(0, c - 1), 0),
      lost: plan.purchases - bought,
    },
    messages: { requested: plan.messages, relayed: relayedDistinct, duplicates: msgDuplicates, lost: plan.messages - relayedDistinct },
    webhookStatus: tally.webhookStatus,
    zapierStatus: tally.zapierStatus,
    seconds: Math.round((Date.now() - startedAt) / 1000),
    failures: failed.slice(0, 5).map((r) => `${r.id}: ${r.error_message}`),
    doubledWrites: await world.store.doubledWrites(),
  };
  const p = outcome.purchases;
  const m = outcome.messages;
  process.stdout.write(
    `\n[resilience ${tag}] purchases requested=${p.requested} accepted=${p.accepted} bought=${p.bought} failed=${p.failed} duplicates=${p.duplicates} lost=${p.lost}` +
      ` | messages requested=${m.requested} relayed=${m.relayed} duplicates=${m.duplicates} lost=${m.lost}` +
      ` | store writes doubled=${outcome.doubledWrites.length}${world.store.traffic() ? ` (${world.store.traffic()})` : ''}` +
      ` | webhooks ${JSON.stringify(outcome.webhookStatus)} | zapier ${JSON.stringify(outcome.zapierStatus)} | ${outcome.seconds} s\n`,
  );
  return outcome;
}

/** the guarantees every scenario holds */
export function expectNothingLostNothingDoubled(outcome: Outcome, world: ResilienceWorld): void {
  const problems: string[] = [];
  const { purchases: p, messages: m } = outcome;
  if (p.bought !== p.requested) problems.push(`purchases bought ${p.bought} of ${p.requested} (failed: ${outcome.failures.join('; ')})`);
  if (p.duplicates) problems.push(`${p.duplicates} purchase(s) bought twice`);
  if (m.relayed !== m.requested) problems.push(`${m.lost} text(s) lost`);
  if (m.duplicates) problems.push(`${m.duplicates} text(s) sent twice`);
  if (outcome.doubledWrites.length) problems.push(`store writes landed twice: ${outcome.doubledWrites.slice(0, 5).join('; ')}`);
  const bad = Object.keys(outcome.webhookStatus).filter((s) => s !== '200');
  if (bad.length) problems.push(`webhooks answered ${JSON.stringify(outcome.webhookStatus)}`);
  const badZapier = Object.keys(outcome.zapierStatus).filter((s) => s !== '202' && s !== '503');
  if (badZapier.length) problems.push(`Zapier-facing route answered ${JSON.stringify(outcome.zapierStatus)} (only 202 or 503 allowed)`);
  if (problems.length) throw new Error(`${problems.join('\n')}\n${world.logs()}`);
}
