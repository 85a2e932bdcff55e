import { Burst, BurstPlan, expectNothingLostNothingDoubled, Outcome, settle } from './burst';
import { RelaySitter, ResilienceWorld, WorldOptions } from './resilience-world';

/** The target burst; RESILIENCE_MESSAGES / RESILIENCE_PURCHASES size it down on a slow machine. */
export const PLAN: BurstPlan = {
  messages: Number(process.env.RESILIENCE_MESSAGES ?? 500),
  purchases: Number(process.env.RESILIENCE_PURCHASES ?? 200),
  ratePerSecond: Number(process.env.RESILIENCE_RATE ?? 25),
};

/**
 * One scenario: a fresh deployment, the seeded relay world, the burst with
 * the fault applied while it runs, then the counts and the guarantees.
 */
export async function runScenario(
  options: WorldOptions,
  fault: (world: ResilienceWorld, burst: Burst) => Promise<void>,
  /** more checks on the settled world, before it stops */
  after?: (world: ResilienceWorld) => Promise<void>,
  plan = PLAN,
): Promise<Outcome> {
  const world = await ResilienceWorld.start(options);
  try {
    // enough pool numbers that no client waits for one (pool exhaustion is another story)
    const sitters: RelaySitter[] = await world.seedRelay({ sitters: 10, clientsPerSitter: 8, poolNumbers: 10 });
    const startedAt = Date.now();
    const burst = new Burst(world, sitters, options.tag, plan);
    await fault(world, burst);
    const outcome = await settle(world, burst, startedAt);
    expectNothingLostNothingDoubled(outcome, world);
    await after?.(world);
    return outcome;
  } finally {
    await world.stop();
  }
}
