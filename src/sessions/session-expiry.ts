import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { JobName, JobQueue, OnJob, ProcessRoles } from '@maskline/jobs';
import { SessionService } from './session.service';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.SessionExpirySweep]: Record<string, never>;
  }
}

export const SESSION_EXPIRY_SCHEDULER_ID = 'session-expiry-sweep';

/**
 * One sweep every SESSION_EXPIRY_CHECK_EVERY_MINUTES across all instances
 * (the schedule lives in Redis), closing sessions idle past SESSION_TTL_DAYS.
 */
@Injectable()
export class SessionExpiry implements OnApplicationBootstrap {
  constructor(
    private readonly sessions: SessionService,
    private readonly jobs: JobQueue,
    private readonly roles: ProcessRoles,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.roles.workers) return;
    await this.jobs.schedule(
      JobName.SessionExpirySweep,
      SESSION_EXPIRY_SCHEDULER_ID,
      { every: this.config.relay.sessionExpiryCheckEveryMinutes * 60_000 },
      {},
      { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    );
  }

  @OnJob(JobName.SessionExpirySweep)
  async sweep(): Promise<{ closed: number }> {
    return { closed: await this.sessions.expireIdle(new Date()) };
  }
}
