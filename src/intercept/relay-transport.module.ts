import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@maskline/config';
import { InventoryModule } from '../inventory/inventory.module';
import { SessionsModule } from '../sessions/sessions.module';
import { InterceptController } from './intercept.controller';
import { InterceptModule } from './intercept.module';
import { OutOfSessionService } from './proxy/out-of-session.service';
import { ProxyCallbacksController } from './proxy/proxy-callbacks.controller';
import { ProxyInterceptService } from './proxy/proxy-intercept.service';
import { ProxySessionCloser } from './proxy/proxy-session-closer';
import { ProxySessionMap } from './proxy/proxy-session-map';

/**
 * How texts reach the relay, picked once at start-up by RELAY_MODE:
 * Programmable Messaging's inbound webhook on `/intercept` (messaging), or a
 * Proxy service's intercept and out-of-session callbacks (proxy/). Both hand
 * the business rules of InterceptModule (RelayRouting) what came in. Kept
 * apart from InterceptModule so that other modules import that one plainly
 * without a second copy of its routes and job handlers.
 */
@Module({})
export class RelayTransportModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.twilio.relayMode === 'proxy') {
      return {
        module: RelayTransportModule,
        imports: [InterceptModule, SessionsModule, InventoryModule],
        controllers: [ProxyCallbacksController],
        providers: [ProxyInterceptService, OutOfSessionService, ProxySessionMap, ProxySessionCloser],
      };
    }
    return { module: RelayTransportModule, imports: [InterceptModule], controllers: [InterceptController] };
  }
}
