import { TwilioSimulator, TwilioSimulatorOptions } from '../src/twilio-simulator';
import { WebhookReceiver } from './webhook-receiver';

export interface SimulatorAndReceiver {
  simulator: TwilioSimulator;
  /** stands in for the app: records and validates every webhook */
  receiver: WebhookReceiver;
  readonly simulatorUrl: string;
  readonly appUrl: string;
}

/**
 * Jest wiring for webhook specs: a started simulator and a receiver for the
 * file, both clean before each test.
 */
export function useSimulatorAndReceiver(options: TwilioSimulatorOptions): SimulatorAndReceiver {
  const simulator = new TwilioSimulator(options);
  const receiver = new WebhookReceiver(options.authToken);
  let appUrl = '';
  beforeAll(async () => {
    await simulator.start();
    appUrl = await receiver.start();
  });
  afterAll(async () => {
    await simulator.stop();
    await receiver.stop();
  });
  beforeEach(() => {
    simulator.reset();
    receiver.received.length = 0;
    receiver.answerStatus = 200;
  });
  return {
    simulator,
    receiver,
    get simulatorUrl() {
      return simulator.baseUrl;
    },
    get appUrl() {
      return appUrl;
    },
  };
}
