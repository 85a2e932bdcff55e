import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { TEST_REDIS_URL, uniquePrefix } from './support/redis-cleanup';

const root = join(__dirname, '..');

/** Runs the real entrypoint (transpiled on the fly) and collects its exit and output. */
function runMain(env: Record<string, string>, timeoutMs = 60_000, entry = 'src/main.ts'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`entrypoint did not exit in ${timeoutMs} ms: ${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('start-up failures (real entrypoint)', () => {
  it('a malformed variable stops start-up with one line naming it', async () => {
    const { code, stderr } = await runMain({ PORT: 'not-a-port' });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^maskline: Invalid configuration: PORT must be an integer number \(got "not-a-port"\)$/);
  });

  it('a missing required variable in production is named', async () => {
    const { code, stderr } = await runMain({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/API_KEY is required when NODE_ENV=production/);
  });

  it('Redis that does not answer is reported in one line with how to start one', async () => {
    const { code, stderr } = await runMain({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Redis is not answering at redis:\/\/127\.0\.0\.1:1 .*redis-server/);
  });

  it.each(['src/api.main.ts', 'src/worker.main.ts'])('%s run apart without DATABASE_URL stops with one line, whatever STORE_DRIVER says', async (entry) => {
    const { code, stderr } = await runMain({ STORE_DRIVER: 'airtable', AIRTABLE_API_KEY: 'key', AIRTABLE_BASE_ID: 'app00000000000000' }, 60_000, entry);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^maskline: DATABASE_URL is required when the API and the workers run as separate processes/);
  });

  it('TWILIO_MESSAGING_SERVICE_SID naming no service of the account stops start-up with one line naming it', async () => {
    const sim = new TwilioSimulator({ accountSid: 'AC' + 'b'.repeat(32), authToken: 'token-for-a2p-check' });
    const url = await sim.start();
    try {
      const { code, stderr } = await runMain({
        TWILIO_ACCOUNT_SID: sim.accountSid,
        TWILIO_AUTH_TOKEN: 'token-for-a2p-check',
        TWILIO_BASE_URL: url,
        TWILIO_MESSAGING_SERVICE_SID: 'MG' + '1a'.repeat(16),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: uniquePrefix('a2p-start'),
        DATA_DIR: 'memory://',
        PORT: '0',
      });
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^maskline: Invalid configuration: TWILIO_MESSAGING_SERVICE_SID names no Messaging Service of this Twilio account/);
    } finally {
      await sim.stop();
    }
  });
});
