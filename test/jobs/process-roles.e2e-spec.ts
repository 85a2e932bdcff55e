import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { JOB_QUEUE, JobName, JobQueue, ProcessRoles, QueueName, queuesInUse } from '@maskline/jobs';
import { AuditLog } from '@maskline/store';
import { TelephonyGateway } from '@maskline/telephony';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { FakeAirtableServer } from '../../libs/store/testing/fake-airtable-server';
import { startFakeAirtable, TEST_BASE_ID } from '../../libs/store/testing/airtable-test-store';
import { deleteRedisPrefix, uniquePrefix } from '../support/redis-cleanup';
import { startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

/**
 * An API-only process queues work and consumes none of it, on every queue
 * (the Airtable driver's write-behind queue included); a worker process
 * started later on the same Redis runs all of it.
 */
describe('process roles: the API process consumes nothing, the worker process everything', () => {
  const prefix = uniquePrefix('roles');
  let fake: FakeAirtableServer;
  let sim: TwilioSimulator;
  let env: Record<string, string>;
  let api: TestApp;
  let worker: TestApp | undefined;

  beforeAll(async () => {
    fake = await startFakeAirtable();
    sim = new TwilioSimulator({ accountSid: SIMULATOR_ACCOUNT_SID, authToken: SIMULATOR_AUTH_TOKEN });
    env = {
      STORE_DRIVER: 'airtable',
      AIRTABLE_API_KEY: fake.token,
      AIRTABLE_BASE_ID: TEST_BASE_ID,
      AIRTABLE_ENDPOINT_URL: fake.baseUrl,
      AIRTABLE_RATE_LIMIT_PAUSE_MS: '400',
      TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN,
      TWILIO_BASE_URL: await sim.start(),
    };
    api = await startTestApp({ env, prefix, roles: new ProcessRoles(true, false) });
  });
  afterAll(async () => {
    await worker?.close({ keepRedis: true });
    await api?.close({ keepRedis: true });
    await deleteRedisPrefix(prefix);
    await sim?.stop();
    await fake?.stop();
  });

  it('leaves every queued job waiting until a worker process takes them all', async () => {
    const jobs = api.app.get(JobQueue);
    const queued: { name: JobName; id: string }[] = [];

    const purchase = await request(api.url).post('/numbers/purchase').set(api.auth).send({ lifecycle: 'pool', area_code: '303' }).expect(202);
    queued.push({ name: JobName.PurchaseNumber, id: purchase.body.job_id });

    const sms = { MessageSid: 'SM' + 'a'.repeat(32), AccountSid: SIMULATOR_ACCOUNT_SID, From: '+17195550188', To: '+13035550177', Body: 'hello', NumMedia: '0' };
    const signature = getExpectedTwilioSignature(api.config.twilio.authToken, `${api.url}/intercept`, sms);
    await request(api.url).post('/intercept').set('x-twilio-signature', signature).type('form').send(sms).expect(200);
    queued.push({ name: JobName.RelayRouteInbound, id: `inbound-${sms.MessageSid}` });

    queued.push({ name: JobName.PoolCapacityCheck, id: await jobs.queue(JobName.PoolCapacityCheck, {}) });
    queued.push({ name: JobName.SessionExpirySweep, id: await jobs.queue(JobName.SessionExpirySweep, {}) });
    queued.push({ name: JobName.OpsSample, id: await jobs.queue(JobName.OpsSample, {}) });
    const orphan = await api.app.get(TelephonyGateway).createConversation('orphan');
    queued.push({ name: JobName.OutreachReleaseConversation, id: await jobs.queue(JobName.OutreachReleaseConversation, { twilioSid: orphan.sid, how: 'delete', reason: 'roles test' }) });

    const failed = { twilioSid: 'SM' + 'b'.repeat(32), status: 'failed', errorCode: '30007', failedAt: new Date().toISOString() };
    const alertSms = { direction: 'alert' as const, sessionId: null, inboundSid: 'roles-test', from: '+13035550177', to: '+17195550188', body: 'alert', mediaUrls: [] };
    queued.push({ name: JobName.DeliveryFailure, id: await jobs.queue(JobName.DeliveryFailure, { ...failed, ...alertSms }) });
    const alert = { alert_id: 'roles-test', type: 'account_suspended' as const, text: 'roles test', created_at: new Date().toISOString() };
    queued.push({ name: JobName.AlertOwnerWebhook, id: await jobs.queue(JobName.AlertOwnerWebhook, { alert }) });

    await api.app.get(AuditLog).record({ eventType: 'roles_test', category: 'test' });
    const [auditJob] = await jobs.queueNamed(QueueName.AirtableWrites).getWaiting();
    queued.push({ name: JobName.AirtableAuditRecord, id: auditJob.id! });

    // every queue of the deployment got a job, none has a worker, every job still waits
    const queues = queuesInUse(api.config);
    expect(new Set(queued.map((q) => JOB_QUEUE[q.name]))).toEqual(new Set(queues));
    for (const name of queues) expect(await jobs.queueNamed(name).getWorkersCount()).toBe(0);
    for (const { name, id } of queued) expect(await (await jobs.find(name, id))!.getState()).toBe('waiting');

    worker = await startTestApp({ env, prefix, roles: new ProcessRoles(false, true) });
    for (const name of queues) expect(await jobs.queueNamed(name).getWorkersCount()).toBeGreaterThan(0);
    for (const { name, id } of queued) await completed(jobs, name, id);

    const bought = await request(api.url).get(`/numbers/${purchase.body.number_inventory_id}`).set(api.auth).expect(200);
    expect(bought.body.status).toBe('ready');
    expect(sim.conversations).toEqual([]);
    expect(fake.requests.some((r) => r.table === 'Audit Log' && ['create', 'upsert'].includes(r.kind))).toBe(true);
  });
});

async function completed(jobs: JobQueue, name: JobName, id: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await (await jobs.find(name, id))!.getState();
    if (state === 'completed') return;
    if (Date.now() > deadline) throw new Error(`job ${name} ${id} is ${state}, not completed`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
