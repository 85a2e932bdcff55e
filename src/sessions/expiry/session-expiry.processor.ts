import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QueueName } from '../../queues/queue-names';
import { RoleAwareWorkerHost } from '../../queues/role-aware-worker.host';
import { SessionService } from '../session.service';

/** Runs the sweep the scheduler enqueues: closes sessions idle past SESSION_TTL_DAYS. */
@Processor(QueueName.SessionExpiry, { autorun: false })
export class SessionExpiryProcessor extends RoleAwareWorkerHost {
  constructor(private readonly sessions: SessionService) {
    super();
  }

  async process(_job: Job): Promise<{ closed: number }> {
    return { closed: await this.sessions.expireIdle(new Date()) };
  }
}
