import { randomBytes } from 'node:crypto';
import { TwilioSimulator, TwilioSimulatorOptions } from '@maskline/twilio-simulator';
import { TwilioGatewayOptions, TwilioTelephonyGateway } from '../src/twilio-telephony.gateway';

export interface SimulatedGateway {
  simulator: TwilioSimulator;
  gateway: TwilioTelephonyGateway;
  accountSid: string;
  authToken: string;
  stop(): Promise<void>;
}

/**
 * For tests: a started simulator on a free port with its own random account,
 * and the real adapter pointed at it. Call `stop()` in afterAll.
 */
export async function startSimulatedGateway(
  options: Partial<Pick<TwilioGatewayOptions, 'timeoutMs' | 'pageSize'>> & Partial<Pick<TwilioSimulatorOptions, 'statusCallbackStepMs'>> = {},
): Promise<SimulatedGateway> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const simulator = new TwilioSimulator({ accountSid, authToken, statusCallbackStepMs: options.statusCallbackStepMs });
  const baseUrl = await simulator.start();
  const gateway = new TwilioTelephonyGateway({ accountSid, authToken, baseUrl, timeoutMs: options.timeoutMs ?? 5_000, pageSize: options.pageSize });
  return { simulator, gateway, accountSid, authToken, stop: () => simulator.stop() };
}

/**
 * Jest wiring for a spec file: one simulated gateway for the file (started in
 * beforeAll, stopped in afterAll) and a clean simulator before each test. The
 * answer reads through to it, so use it inside tests only.
 */
export function useSimulatedGateway(options: Parameters<typeof startSimulatedGateway>[0] = {}): SimulatedGateway {
  let current: SimulatedGateway | undefined;
  beforeAll(async () => {
    current = await startSimulatedGateway(options);
  });
  afterAll(() => current?.stop());
  beforeEach(() => current?.simulator.reset());
  const live = (): SimulatedGateway => {
    if (!current) throw new Error('useSimulatedGateway: the simulator starts in beforeAll; use it inside tests');
    return current;
  };
  return {
    get simulator() {
      return live().simulator;
    },
    get gateway() {
      return live().gateway;
    },
    get accountSid() {
      return live().accountSid;
    },
    get authToken() {
      return live().authToken;
    },
    stop: () => live().stop(),
  };
}
