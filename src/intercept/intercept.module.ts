import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { SessionsModule } from '../sessions/sessions.module';
import { DeliveryFailureLog } from './delivery/delivery-failure-log';
import { DeliveryFailureService } from './delivery/delivery-failure.service';
import { DeliveryFailuresController } from './delivery/delivery-failures.controller';
import { DeliveryStatusController } from './delivery/delivery-status.controller';
import { DeliveryStatusService } from './delivery/delivery-status.service';
import { OwnerAndSitterAlerts } from './delivery/owner-and-sitter-alerts';
import { PendingMessageLog } from './delivery/pending-message-log';
import { InterceptController } from './intercept.controller';
import { HeldRelayMessages } from './pool-hold/held-relay-messages';
import { ReleaseOnPoolReady } from './pool-hold/release-on-pool-ready';
import { InboundRelayService } from './relay/inbound-relay.service';
import { InboundSpool } from './relay/inbound-spool';
import { RelaySenderService } from './relay/relay-sender.service';

/** The masked two-way SMS relay (SPEC 3.1, 3.2, 3.4): inbound webhook, Relay queue jobs, status callbacks and the failure policy (SPEC 6). */
@Module({
  imports: [SessionsModule, InventoryModule],
  controllers: [InterceptController, DeliveryStatusController, DeliveryFailuresController],
  providers: [
    InboundRelayService,
    InboundSpool,
    RelaySenderService,
    HeldRelayMessages,
    ReleaseOnPoolReady,
    DeliveryStatusService,
    PendingMessageLog,
    DeliveryFailureService,
    DeliveryFailureLog,
    OwnerAndSitterAlerts,
  ],
  // read by the ops dashboard (src/admin)
  exports: [DeliveryFailureService, HeldRelayMessages],
})
export class InterceptModule {}
