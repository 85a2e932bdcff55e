import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { createTestDatabase, TestDatabase } from '../../libs/store/src/sql/test/postgres-test-database';
import { freePort } from '../support/free-port';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis-cleanup';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app';
import { newPractice, openConversation, openConversationsBinding, outreachGet } from './support/outreach-world';

jest.setTimeout(180_000);

const REQUESTS = 20;
const root = join(__dirname, '..', '..');

/** the Twilio conversations still there for this phone (the friendly name defaults to the phone); deleted ones are gone */
const survivors = (sim: TwilioSimulator, phone: string) => sim.conversations.filter((c) => c.friendlyName === phone);

async function rowsOf(url: string, tenantId: string): Promise<{ conversation_id: string; twilio_sid: string }[]> {
  return (await outreachGet(url, `/outreach/conversations?tenant_id=${tenantId}&limit=200`).expect(200)).body.conversations;
}

/** REQUESTS requests at once, spread over the apps' URLs */
function burst(urls: string[], bodyOf: (i: number) => object) {
  return Promise.all(Array.from({ length: REQUESTS }, (_, i) => openConversation(urls[i % urls.length], bodyOf(i))));
}

/**
 * The two races the issue names, against any set of app URLs sharing one
 * database and one Twilio: identical requests end in one row and one open
 * conversation; twenty coordinators of one practice in one created, the
 * rest conflicts naming the winner, and one surviving conversation.
 */
function itHoldsUnderRaces(label: string, world: () => { urls: string[]; sim: TwilioSimulator }, phones: [string, string]) {
  it(`${label}: ${REQUESTS} identical requests at once → one row, one open conversation for the phone`, async () => {
    const { urls, sim } = world();
    const practice = newPractice();
    const answers = await burst(urls, () => ({ ...practice, coordinator_sax_id: '7', patient_phone: phones[0] }));

    expect(answers.map((a) => a.status).sort((a, b) => a - b)).toEqual([...Array(REQUESTS - 1).fill(200), 201]);
    const ids = new Set(answers.map((a) => a.body.conversation_id));
    expect(ids.size).toBe(1);
    const rows = await rowsOf(urls[0], practice.tenant_id);
    expect(rows).toHaveLength(1);
    expect(survivors(sim, phones[0]).map((c) => c.sid)).toEqual([rows[0].twilio_sid]);
    expect(openConversationsBinding(sim, phones[0])).toEqual([rows[0].twilio_sid]);
  });

  it(`${label}: ${REQUESTS} coordinators of one practice at once → one created, ${REQUESTS - 1} conflicts naming it, one surviving conversation`, async () => {
    const { urls, sim } = world();
    const practice = newPractice();
    const answers = await burst(urls, (i) => ({ ...practice, coordinator_sax_id: String(1000 + i), patient_phone: phones[1] }));

    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    const conflicts = answers.filter((a) => a.status === 409);
    expect(conflicts).toHaveLength(REQUESTS - 1);
    for (const c of conflicts) expect(c.body.details).toMatchObject({ code: 'conversation_held', coordinator_sax_id: created[0].body.coordinator_sax_id });
    expect(await rowsOf(urls[0], practice.tenant_id)).toHaveLength(1);
    expect(survivors(sim, phones[1]).map((c) => c.sid)).toEqual([created[0].body.twilio_sid]);
  });
}

describe('outreach under concurrency: PGlite (embedded)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  itHoldsUnderRaces('PGlite', () => ({ urls: [t.url], sim: t.sim }), ['+17205550201', '+17205550202']);
});

describe('outreach under concurrency: PostgreSQL', () => {
  const prefix = uniquePrefix('outreach-pg');
  let db: TestDatabase;
  let sim: TwilioSimulator;
  let inProcess: TestApp;
  const children: ChildProcess[] = [];
  let childUrls: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new TwilioSimulator({ accountSid: SIMULATOR_ACCOUNT_SID, authToken: SIMULATOR_AUTH_TOKEN });
    const twilio = { TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN, TWILIO_BASE_URL: await sim.start(), OUTREACH_PROXY_NUMBER: '+13035550188' };
    // runs the migrations before the two processes start
    inProcess = await startTestApp({ prefix, env: { DATABASE_URL: db.url, ...twilio } });
    childUrls = await Promise.all([0, 1].map(() => startAppProcess({ REDIS_PREFIX: prefix, DATABASE_URL: db.url, ...twilio })));
  });

  afterAll(async () => {
    await Promise.all(children.map(stopped));
    await inProcess?.close({ keepRedis: true });
    await sim?.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  /** `node src/main.ts` (API and workers) as its own OS process, resolved with its URL once it says it is up */
  async function startAppProcess(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_PROJECT: 'tsconfig.json',
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_BASE_URL: url,
        API_KEY: TEST_API_KEY,
        ADMIN_USERNAME: 'ops',
        ADMIN_PASSWORD: 'outreach-test-password',
        REDIS_URL: TEST_REDIS_URL,
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('Maskline is up')) resolve(url);
      });
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      child.once('exit', (code) => reject(new Error(`app process exited (${code}) before it was up: ${output.slice(-2000)}`)));
    });
  }

  itHoldsUnderRaces('PostgreSQL, one process', () => ({ urls: [inProcess.url], sim }), ['+17205550301', '+17205550302']);
  itHoldsUnderRaces('PostgreSQL, two app OS processes', () => ({ urls: childUrls, sim }), ['+17205550401', '+17205550402']);
});

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
