/**
 * The Twilio simulator in a process of its own, as Twilio is to production:
 * its work then never lands on the event loop being measured.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/support/simulator-process.ts <buy latency ms>
 * Prints `{"url": ...}` on one line once it listens; stops on SIGTERM.
 */
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';

async function main(): Promise<void> {
  const sim = new TwilioSimulator({ accountSid: SIMULATOR_ACCOUNT_SID, authToken: SIMULATOR_AUTH_TOKEN });
  const url = await sim.start(0);
  const buyLatencyMs = Number(process.argv[2] ?? 0);
  if (buyLatencyMs > 0) sim.injectLatency('numbers.buy', buyLatencyMs);
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.once('SIGTERM', () => void sim.stop().finally(() => process.exit(0)));
}

main().catch((error) => {
  process.stderr.write(`simulator process failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
