import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobQueue } from '@maskline/jobs';
import { AuditLog } from '@maskline/store';
import { TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { strictFake } from '../../test/support/strict-fake';
import { OutreachConversationStore } from './outreach-conversations.port';
import { OutreachTwilioCleanup, ReleaseConversationJobData } from './outreach-twilio-cleanup';

const SID = 'CH' + 'c'.repeat(32);
const down = () => new TelephonyError('Service Unavailable', 20503, 503);

function setup(telephony: Partial<TelephonyGateway>, opts: { inUse?: boolean; queue?: JobQueue['queue'] } = {}) {
  const deps = {
    telephony: strictFake<TelephonyGateway>('TelephonyGateway', telephony),
    store: strictFake<OutreachConversationStore>('OutreachConversationStore', { isTwilioConversationInUse: async () => opts.inUse ?? false }),
    jobs: strictFake<JobQueue>('JobQueue', { removeFinished: async () => undefined, queue: opts.queue ?? (async () => 'job-1') }),
    audit: strictFake<AuditLog>('AuditLog', { record: async () => undefined }),
  };
  return { ...deps, cleanup: new OutreachTwilioCleanup(deps.telephony, deps.store, deps.jobs, deps.audit) };
}

const job = (data: ReleaseConversationJobData, attemptsMade = 0) => ({ data, attemptsMade, opts: { attempts: 3 } }) as unknown as Job<ReleaseConversationJobData>;

describe('OutreachTwilioCleanup', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('deletes or closes at once when Twilio answers: no job, no audit', async () => {
    const { cleanup, telephony, jobs, audit } = setup({ deleteConversation: async () => undefined, closeConversation: async () => undefined });
    await cleanup.release(SID, 'delete', 'orphan');
    await cleanup.release(SID, 'close', 'row closed');
    expect(telephony.deleteConversation).toHaveBeenCalledWith(SID);
    expect(telephony.closeConversation).toHaveBeenCalledWith(SID);
    expect(jobs.queue).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('a failed delete is audited and queued for retry under an id named after the conversation', async () => {
    const { cleanup, jobs, audit } = setup({ deleteConversation: async () => Promise.reject(down()) });
    await expect(cleanup.release(SID, 'delete', 'orphan')).resolves.toBeUndefined();
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ eventType: 'outreach.twilio_release_failed', category: 'outreach', severity: 'warning', details: expect.objectContaining({ twilio_sid: SID, action: 'delete', twilio_code: 20503 }) }),
    );
    expect(jobs.queue).toHaveBeenCalledWith('release-twilio-conversation', { twilioSid: SID, how: 'delete', reason: 'orphan' }, expect.objectContaining({ jobId: `outreach-delete-${SID}`, attempts: 20 }));
  });

  it('a retry Redis will not take is audited as an error naming the conversation; release still does not throw', async () => {
    const { cleanup, audit } = setup({ deleteConversation: async () => Promise.reject(down()) }, { queue: async () => Promise.reject(new Error('Queue unavailable')) });
    await expect(cleanup.release(SID, 'delete', 'orphan')).resolves.toBeUndefined();
    expect(audit.record).toHaveBeenLastCalledWith(expect.objectContaining({ eventType: 'outreach.twilio_release_unqueued', severity: 'error', details: expect.objectContaining({ twilio_sid: SID }) }));
  });

  it('the job leaves a conversation a row uses again alone', async () => {
    const { cleanup, audit } = setup({}, { inUse: true });
    await expect(cleanup.runRelease(job({ twilioSid: SID, how: 'close', reason: 'row closed' }))).resolves.toBe('in_use');
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'outreach.twilio_release_skipped' }));
  });

  it('the job retries by throwing, audits its success, and audits an error on its last attempt', async () => {
    const ok = setup({ deleteConversation: async () => undefined });
    await expect(ok.cleanup.runRelease(job({ twilioSid: SID, how: 'delete', reason: 'orphan' }))).resolves.toBe('released');
    expect(ok.audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'outreach.twilio_released', severity: 'info' }));

    const failing = setup({ deleteConversation: async () => Promise.reject(down()) });
    await expect(failing.cleanup.runRelease(job({ twilioSid: SID, how: 'delete', reason: 'orphan' }, 0))).rejects.toBeInstanceOf(TelephonyError);
    expect(failing.audit.record).not.toHaveBeenCalled();
    await expect(failing.cleanup.runRelease(job({ twilioSid: SID, how: 'delete', reason: 'orphan' }, 2))).rejects.toBeInstanceOf(TelephonyError);
    expect(failing.audit.record).toHaveBeenCalledWith(expect.objectContaining({ eventType: 'outreach.twilio_release_abandoned', severity: 'error' }));
  });
});
