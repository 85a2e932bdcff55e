/**
 * The Twilio simulator in its own OS process, as Twilio is to production.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register test/resilience/support/simulator-main.ts
 * Prints `simulator listening <url>` once up; driven over its /_sim HTTP surface; stops on SIGTERM.
 */
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';

async function main(): Promise<void> {
  const sim = new TwilioSimulator({ accountSid: SIMULATOR_ACCOUNT_SID, authToken: SIMULATOR_AUTH_TOKEN });
  const url = await sim.start(0);
  process.stdout.write(`simulator listening ${url}\n`);
  process.once('SIGTERM', () => void sim.stop().finally(() => process.exit(0)));
}

main().catch((error) => {
  process.stderr.write(`simulator process failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
