import { randomBytes } from 'node:crypto';
import { TwilioSimulator, TwilioSimulatorOptions } from '@maskline/twilio-simulator';
import { TwilioGatewayOptions, TwilioTelephonyGateway } from '../twilio-telephony.gateway';

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
