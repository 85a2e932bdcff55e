import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@maskline/config';
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
import { OutOfSessionService } from './proxy/out-of-session.service';
import { ProxyCallbacksController } from './proxy/proxy-callbacks.controller';
import { ProxyInterceptService } from './proxy/proxy-intercept.service';
import { ProxySessionCloser } from './proxy/proxy-session-closer';
import { ProxySessionMap } from './proxy/proxy-session-map';
import { HeldRelayMessages } from './pool-hold/held-relay-messages';
import { ReleaseOnPoolReady } from './pool-hold/release-on-pool-ready';
import { InboundRelayService } from './relay/inbound-relay.service';
import { InboundSpool } from './relay/inbound-spool';
import { RelaySenderService } from './relay/relay-sender.service';
import { RelayRouting } from './relay/relay-routing';

/**
 * The masked two-way SMS relay (SPEC 3.1-3.4): inbound webhook, Relay queue
 * jobs, status callbacks and the failure policy (SPEC 6). RELAY_MODE picks
 * the transport at start-up: Programmable Messaging's inbound webhook on
 * `/intercept`, or a Proxy service's intercept and out-of-session callbacks
 * (proxy/); the business rules (RelayRouting) are the same.
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
  // read by the ops dashboard (src/admin)
  exports: [DeliveryFailureService, HeldRelayMessages],
})
export class InterceptModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.twilio.relayMode === 'proxy') {
      return { module: InterceptModule, controllers: [ProxyCallbacksController], providers: [ProxyInterceptService, OutOfSessionService, ProxySessionMap, ProxySessionCloser] };
    }
    return { module: InterceptModule, controllers: [InterceptController] };
  }
}
