import { airtableSpecFixture } from '../../testing/airtable-test-store';
import { describeStoreContract } from '../contract';

// The driver keeps to Airtable's real budget (5 requests/s at most), so the
// contract's races need their own 60 s allowance and set-ups take seconds.
jest.setTimeout(90_000);

const at = airtableSpecFixture();

// a fresh driver instance (own Redis prefix) on a freshly reset fake base for every test
describeStoreContract('airtable (fake Airtable server, real Redis)', async () => {
  const instance = await at.open({ AIRTABLE_REQUESTS_PER_SECOND: '5' });
  // the fixture closes the instance and resets the base after each test
  return { ports: instance.ports, cleanup: async () => undefined };
});
