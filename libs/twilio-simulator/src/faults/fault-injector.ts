import { setTimeout as sleep } from 'node:timers/promises';
import { TwilioApiError } from '../http/twilio-api-error';
import { operationMatches, SimOperation, SimOperationPattern } from './operations';
import { sharedAbortController } from '../shared-abort';

export interface FaultSpec {
  status: number;
  code: number;
  message?: string;
  /** how many calls fail; default 1 (with `rate`: every matching call until clear()) */
  times?: number;
  /** the share of matching calls that fail (0..1), drawn at random per call: a flaky Twilio rather than a broken one */
  rate?: number;
  /** sent as the Retry-After header (seconds), as Twilio does on some 429s */
  retryAfterSeconds?: number;
}
export interface TimeoutAfterEffectSpec {
  times?: number;
  /** how long the answer is held after the operation took effect; default 60 s, beyond any sane client timeout */
  delayMs?: number;
}

type Rule =
  | { kind: 'fault'; pattern: SimOperationPattern; remaining: number; error: FaultSpec }
  | { kind: 'latency'; pattern: SimOperationPattern; remaining: number; ms: number }
  | { kind: 'hold'; pattern: SimOperationPattern; remaining: number; ms: number };

/**
 * Per-operation misbehaviour: Twilio error answers, slow answers, and answers
 * held back after the effect happened (the caller times out although Twilio
 * did the work: the case that makes purchases non-idempotent).
 */
export class FaultInjector {
  private rules: Rule[] = [];
  private holds = sharedAbortController();

  injectFault(pattern: SimOperationPattern, spec: FaultSpec): void {
    this.rules.push({ kind: 'fault', pattern, remaining: spec.times ?? (spec.rate === undefined ? 1 : Infinity), error: spec });
  }

  /** `times` unset: every call until clear() */
  injectLatency(pattern: SimOperationPattern, ms: number, times?: number): void {
    this.rules.push({ kind: 'latency', pattern, remaining: times ?? Infinity, ms });
  }

  injectTimeoutAfterEffect(pattern: SimOperationPattern, spec: TimeoutAfterEffectSpec = {}): void {
    this.rules.push({ kind: 'hold', pattern, remaining: spec.times ?? 1, ms: spec.delayMs ?? 60_000 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Lets every held answer go at once (shutdown, reset). */
  releaseHeld(): void {
    this.holds.abort();
    this.holds = sharedAbortController();
  }

  /** Before the operation runs: injected latency, then an injected error if any. */
  async beforeOperation(op: SimOperation): Promise<void> {
    const latency = this.consume('latency', op);
    if (latency?.kind === 'latency') await this.wait(latency.ms);
    const fault = this.consume('fault', op, (r) => r.kind !== 'fault' || r.error.rate === undefined || Math.random() < r.error.rate);
    if (fault?.kind === 'fault') {
      const { status, code, message, retryAfterSeconds } = fault.error;
      throw new TwilioApiError(status, code, message ?? `Simulated failure of ${op}`, retryAfterSeconds);
    }
  }

  /** After the operation took effect: hold the answer when asked to. */
  async afterOperation(op: SimOperation): Promise<void> {
    const hold = this.consume('hold', op);
    if (hold?.kind === 'hold') await this.wait(hold.ms);
  }

  /** `fires` decides, for a matching rule, whether this call is one it hits (a rate) */
  private consume(kind: Rule['kind'], op: SimOperation, fires: (rule: Rule) => boolean = () => true): Rule | undefined {
    // several rules with rates (429 on some calls, 500 on others) each get their chance
    const rule = this.rules.find((r) => r.kind === kind && r.remaining > 0 && operationMatches(r.pattern, op) && fires(r));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  private async wait(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.holds.signal }).catch(() => undefined);
  }
}
