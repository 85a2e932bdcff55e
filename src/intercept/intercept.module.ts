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
import { HeldRelayMessages } from './pool-hold/held-relay-messages';
import { ReleaseOnPoolReady } from './pool-hold/release-on-pool-ready';
import { InboundRelayService } from './relay/inbound-relay.service';
import { InboundSpool } from './relay/inbound-spool';
import { RelaySenderService } from './relay/relay-sender.service';
import { RelayRouting } from './relay/relay-routing';

/**
 * The masked two-way SMS relay (SPEC 3.1-3.4): the business rules
 * (RelayRouting), Relay queue jobs, status callbacks and the failure policy
 * (SPEC 6). The inbound transport RELAY_MODE picks is RelayTransportModule.
 */
@Module({
  imports: [SessionsModule, InventoryModule],
  controllers: [DeliveryStatusController, DeliveryFailuresController],
  providers: [
    InboundRelayService,
    RelayRouting,
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
  exports: [
    // for the inbound transports (RelayTransportModule)
    InboundRelayService,
    RelayRouting,
    // read by the ops dashboard (src/admin)
    DeliveryFailureService,
    HeldRelayMessages,
  ],
})
export class InterceptModule {}
