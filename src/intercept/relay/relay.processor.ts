import { Processor } from '@nestjs/bullmq';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { QueueName } from '../../queues/queue-names';
import { RoleAwareWorkerHost } from '../../queues/role-aware-worker.host';
import { PendingMessageLog } from '../delivery/pending-message-log';
import { HeldRelayMessages } from '../pool-hold/held-relay-messages';
import { InboundRelayService, RouteOutcome } from './inbound-relay.service';
import { FlushMessageLogJobData, RelayJob, RouteInboundJobData, SendSmsJobData } from './relay-jobs';
import { RelaySenderService } from './relay-sender.service';

/**
 * The Relay queue's worker: routing jobs (one per inbound webhook), send
 * jobs (one per outgoing SMS) and message-log flushes (one per sent SMS). Concurrency lets one slow Twilio call not hold
 * up every other conversation; correctness under concurrency comes from the
 * store's atomic find-or-create and open-or-get.
 */
@Processor(QueueName.Relay, { autorun: false, concurrency: 16 })
export class RelayProcessor extends RoleAwareWorkerHost {
  constructor(
    private readonly inbound: InboundRelayService,
    private readonly sender: RelaySenderService,
    private readonly held: HeldRelayMessages,
    private readonly pendingLog: PendingMessageLog,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    switch (job.name) {
      case RelayJob.RouteInbound:
        return this.routeInbound(job as Job<RouteInboundJobData>, token);
      case RelayJob.SendSms:
        return this.sender.send(job as Job<SendSmsJobData>);
      case RelayJob.FlushMessageLog:
        return { logged: await this.pendingLog.settle((job.data as FlushMessageLogJobData).twilioSid) };
      default:
        throw new UnrecoverableError(`Unknown relay job "${job.name}"`);
    }
  }

  private async routeInbound(job: Job<RouteInboundJobData>, token?: string): Promise<{ outcome: RouteOutcome }> {
    const epoch = await this.held.readyEpoch();
    const outcome = await this.inbound.route(job.data);
    if (outcome === 'held') {
      await this.held.hold(job, token!, epoch);
      throw new DelayedError();
    }
    if (job.data.timesHeld) await this.held.forget(job.id!);
    return { outcome };
  }
}
