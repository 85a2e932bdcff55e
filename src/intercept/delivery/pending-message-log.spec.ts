import { once } from 'node:events';
import { loadConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import type { MessageLog, RecordMessageInput } from '@maskline/store';
import { strictFake } from '../../../test/support/strict-fake';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis-cleanup';
import { PendingMessageLog, UnloggedMessage } from './pending-message-log';

const message: UnloggedMessage = {
  direction: 'client_to_sitter',
  sessionId: 'session-1',
  from: '+17205550142',
  to: '+19705550001',
  body: '[Alice Smith]: Hi',
  mediaUrls: [],
  inboundSid: 'SM' + '1'.repeat(32),
  twilioSid: 'SM' + '2'.repeat(32),
  status: 'queued',
};

describe('PendingMessageLog (real Redis)', () => {
  const prefix = uniquePrefix('pml');
  const redis = new RedisService(loadConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix }));
  let recorded: RecordMessageInput[];
  let log: PendingMessageLog;
  let failNext: boolean;

  beforeAll(async () => {
    // the service's client fails fast instead of queueing: wait until it is connected
    if (redis.client.status !== 'ready') await once(redis.client, 'ready');
  });
  beforeEach(() => {
    recorded = [];
    failNext = false;
    const messages = strictFake<MessageLog>('messages', {
      record: async (input: RecordMessageInput) => {
        if (failNext) {
          failNext = false;
          throw new Error('store down');
        }
        recorded.push(input);
      },
    });
    log = new PendingMessageLog(redis, messages);
  });
  afterAll(async () => {
    await redis.onApplicationShutdown();
    await deleteRedisPrefix(prefix);
  });

  it('writes the message once, with its outcome, when the outcome comes first', async () => {
    await log.hold(message);
    await log.noteProgress(message.twilioSid, 'sent');
    await expect(log.settle(message.twilioSid, { status: 'undelivered', errorCode: '30003' })).resolves.toBe(true);
    await expect(log.settle(message.twilioSid)).resolves.toBe(false);
    expect(recorded).toEqual([{ ...message, status: 'undelivered', errorCode: '30003' }]);
  });

  it('flushes with the latest status seen when no outcome came', async () => {
    const m = { ...message, twilioSid: 'SM' + '3'.repeat(32) };
    await log.hold(m);
    await log.noteProgress(m.twilioSid, 'sent');
    await expect(log.settle(m.twilioSid)).resolves.toBe(true);
    expect(recorded).toEqual([{ ...m, status: 'sent', errorCode: null }]);
  });

  it('ignores progress of a message no longer waiting (a late `sent` cannot resurrect it)', async () => {
    const m = { ...message, twilioSid: 'SM' + '4'.repeat(32) };
    await log.hold(m);
    await log.settle(m.twilioSid, { status: 'delivered', errorCode: null });
    await log.noteProgress(m.twilioSid, 'sent');
    await expect(log.settle(m.twilioSid)).resolves.toBe(false);
    expect(recorded).toHaveLength(1);
  });

  it('of concurrent settles exactly one writes', async () => {
    const m = { ...message, twilioSid: 'SM' + '5'.repeat(32) };
    await log.hold(m);
    const results = await Promise.all(Array.from({ length: 10 }, () => log.settle(m.twilioSid, { status: 'delivered', errorCode: null })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(recorded).toHaveLength(1);
  });

  it('keeps the message waiting when the store write fails, so a retry writes it', async () => {
    const m = { ...message, twilioSid: 'SM' + '6'.repeat(32) };
    await log.hold(m);
    failNext = true;
    await expect(log.settle(m.twilioSid, { status: 'delivered', errorCode: null })).rejects.toThrow('store down');
    await expect(log.settle(m.twilioSid, { status: 'delivered', errorCode: null })).resolves.toBe(true);
    expect(recorded).toEqual([{ ...m, status: 'delivered', errorCode: null }]);
  });
});
