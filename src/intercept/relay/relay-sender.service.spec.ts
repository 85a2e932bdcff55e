import { once } from 'node:events';
import type { Job } from 'bullmq';
import { loadConfig } from '@maskline/config';
import { JobQueue } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';
import { AuditLog, MessageLog } from '@maskline/store';
import { useSimulatedGateway } from '../../../libs/telephony/testing/simulated-gateway';
import { strictFake } from '../../../test/support/strict-fake';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis-cleanup';
import { PendingMessageLog } from '../delivery/pending-message-log';
import { RelaySenderService, SendSmsJobData } from './relay-sender.service';

const SITTER = '+19705550001';

describe('RelaySenderService: exactly one SMS per send job (real Redis, simulated Twilio)', () => {
  const twilio = useSimulatedGateway({ timeoutMs: 1_000 });
  const prefix = uniquePrefix('sender');
  const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, TWILIO_RETRY_BUDGET_SECONDS: '30' });
  const redis = new RedisService(config);
  let sender: RelaySenderService;
  let pool: string;
  let seq = 0;

  beforeAll(async () => {
    if (redis.client.status !== 'ready') await once(redis.client, 'ready');
  });
  beforeEach(async () => {
    pool = (await twilio.gateway.buyNumberInAreaCode('720', 'pool')).phoneNumber;
    const jobs = strictFake<JobQueue>('jobs', { queue: async () => 'queued' });
    const pending = strictFake<PendingMessageLog>('pendingLog', { hold: async () => undefined });
    sender = new RelaySenderService(twilio.gateway, strictFake<MessageLog>('messages'), pending, jobs, strictFake<AuditLog>('audit'), redis, config);
  });
  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    redis.client.disconnect();
  });

  /** a send job as BullMQ hands it over (a re-run is the same id again) */
  function sendJob(body: string, id = `send-SM${String(++seq).padStart(32, '0')}`): Job<SendSmsJobData> {
    const data: SendSmsJobData = { direction: 'client_to_sitter', sessionId: 's1', inboundSid: id.slice(5), from: pool, to: SITTER, body, mediaUrls: [] };
    return { id, data, attemptsMade: 0, opts: { attempts: 3 } } as unknown as Job<SendSmsJobData>;
  }
  const sentWith = (body: string) => twilio.simulator.messages.filter((m) => m.body === body);

  it('sends once and, run again, answers the same message without asking Twilio', async () => {
    const job = sendJob('[Ann]: hello');
    const first = await sender.runSend(job);
    const again = await sender.runSend(job);
    expect(again.sid).toBe(first.sid);
    expect(sentWith('[Ann]: hello')).toHaveLength(1);
  });

  it('a run killed after Twilio accepted (nothing remembered but the intent) adopts the message instead of sending again', async () => {
    const job = sendJob('[Ann]: walk at 3?');
    const first = await sender.runSend(job);
    // the worker died between Twilio's answer and the bookkeeping: only the intent survived
    await redis.client.del(`relay:sent:${job.id}`);
    const again = await sender.runSend(job);
    expect(again.sid).toBe(first.sid);
    expect(sentWith('[Ann]: walk at 3?')).toHaveLength(1);
  });

  it('a send whose answer timed out after Twilio accepted it is adopted by the retry', async () => {
    twilio.simulator.injectTimeoutAfterEffect('messages.create', { delayMs: 3_000 });
    const job = sendJob('[Ann]: slow network');
    const sent = await sender.runSend(job);
    expect(sentWith('[Ann]: slow network').map((m) => m.sid)).toEqual([sent.sid]);
  });

  it('two jobs relaying the same text each get their own message', async () => {
    const a = sendJob('ok');
    const b = sendJob('ok');
    await sender.runSend(a);
    await redis.client.del(`relay:sent:${a.id}`);
    // b began before a's message existed, a re-runs: a keeps its own, b sends its own
    await redis.client.set(`relay:send-intent:${b.id}`, String(Date.now() - 5_000));
    const sentB = await sender.runSend(b);
    const againA = await sender.runSend(a);
    expect(sentWith('ok')).toHaveLength(2);
    expect(againA.sid).not.toBe(sentB.sid);
  });

  it('retries 429 and 500 inside the job and sends once', async () => {
    twilio.simulator.injectFault('messages.create', { status: 500, code: 20500 });
    twilio.simulator.injectFault('messages.list', { status: 429, code: 20429 });
    const job = sendJob('[Ann]: despite errors');
    await sender.runSend(job);
    expect(sentWith('[Ann]: despite errors')).toHaveLength(1);
  });
});
