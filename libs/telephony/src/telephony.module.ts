import { DynamicModule, Global, Injectable, Logger, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { TelephonyGateway } from './telephony.gateway';
import { TwilioTelephonyGateway } from './twilio-telephony.gateway';

/** Stops the embedded simulator last, after queues and HTTP have closed. */
@Injectable()
class SimulatorShutdown implements OnApplicationShutdown {
  constructor(private readonly simulator: TwilioSimulator) {}
  async onApplicationShutdown(): Promise<void> {
    await this.simulator.stop();
  }
}

/**
 * Binds the TelephonyGateway port to the twilio-SDK adapter. Without a Twilio
 * account (config.twilio.simulated) it also starts the built-in simulator,
 * provides it (tests: `app.get(TwilioSimulator)`), and points the adapter at
 * it, so the embedded app runs the production code path end to end.
 */
@Global()
@Module({})
export class TelephonyModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { accountSid, authToken, timeoutMs, simulated, simulatorPort, baseUrl } = config.twilio;
    const gatewayAt = (url: string | undefined) => new TwilioTelephonyGateway({ accountSid, authToken, timeoutMs, baseUrl: url });

    if (!simulated) {
      return {
        module: TelephonyModule,
        global: true,
        providers: [{ provide: TelephonyGateway, useFactory: () => gatewayAt(baseUrl) }],
        exports: [TelephonyGateway],
      };
    }
    const providers: Provider[] = [
      {
        provide: TwilioSimulator,
        useFactory: async () => {
          const simulator = new TwilioSimulator({ accountSid, authToken });
          const url = await simulator.start(simulatorPort);
          // the embedded account has the Messaging Service the configuration names (numbers outside it then meet 30034)
          if (config.twilio.messagingServiceSid) simulator.addMessagingService({ sid: config.twilio.messagingServiceSid });
          new Logger('TelephonyModule').log(`No Twilio account configured: the Twilio simulator answers at ${url} (control surface: ${url}/_sim/state)`);
          return simulator;
        },
      },
      { provide: TelephonyGateway, useFactory: (simulator: TwilioSimulator) => gatewayAt(simulator.baseUrl), inject: [TwilioSimulator] },
      SimulatorShutdown,
    ];
    return { module: TelephonyModule, global: true, providers, exports: [TelephonyGateway, TwilioSimulator] };
  }
}
