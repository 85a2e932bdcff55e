import { Test } from '@nestjs/testing';
import { loadConfig } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { TelephonyGateway } from './telephony.gateway';
import { TelephonyModule } from './telephony.module';
import { TwilioTelephonyGateway } from './twilio-telephony.gateway';
import { startSimulatedGateway } from '../testing/simulated-gateway';

describe('TelephonyModule', () => {
  it('without a Twilio account starts the simulator, binds the gateway to it, and stops it on close', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.twilio.simulated).toBe(true);
    const moduleRef = await Test.createTestingModule({ imports: [TelephonyModule.forRoot(config)] }).compile();
    const app = await moduleRef.init();

    const simulator = app.get(TwilioSimulator);
    const gateway = app.get(TelephonyGateway);
    expect(gateway).toBeInstanceOf(TwilioTelephonyGateway);
    const baseUrl = simulator.baseUrl;

    const bought = await gateway.buyNumberInAreaCode('303', 'maskline:module');
    expect(simulator.purchases.map((p) => p.sid)).toEqual([bought.sid]);

    await app.close();
    expect(() => simulator.baseUrl).toThrow(/not started/);
    await expect(fetch(`${baseUrl}/_sim/state`)).rejects.toThrow();
  });

  it('with an account and TWILIO_BASE_URL sends the gateway there and starts no simulator', async () => {
    const external = await startSimulatedGateway();
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        TWILIO_ACCOUNT_SID: external.accountSid,
        TWILIO_AUTH_TOKEN: external.authToken,
        TWILIO_BASE_URL: external.simulator.baseUrl,
      });
      const moduleRef = await Test.createTestingModule({ imports: [TelephonyModule.forRoot(config)] }).compile();
      const app = await moduleRef.init();
      expect(() => app.get(TwilioSimulator)).toThrow();

      await app.get(TelephonyGateway).buyNumberInAreaCode('720', 'maskline:external');
      expect(external.simulator.purchases).toHaveLength(1);
      await app.close();
    } finally {
      await external.stop();
    }
  });
});
