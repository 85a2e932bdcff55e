import { airtableSpecFixture, TEST_BASE_ID } from '../../testing/airtable-test-store';
import { nextPhone } from '../contract/fixtures';

jest.setTimeout(90_000);

/**
 * The contract suite runs its races inside one driver instance; these split
 * them across two (two Nest contexts on one Redis = two processes), where
 * only the Redis locks and the re-read keep them apart.
 */
describe('Airtable driver across two processes', () => {
  const at = airtableSpecFixture();

  const twoProcesses = async () => {
    const prefix = at.prefix();
    const env = { AIRTABLE_REQUESTS_PER_SECOND: '5' };
    return [await at.open(env, prefix), await at.open(env, prefix)] as const;
  };

  it('20 simultaneous first contacts of one phone, 10 per process, create one client', async () => {
    const [a, b] = await twoProcesses();
    const phone = nextPhone();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).ports.clients.findOrCreateByPhone(phone)),
    );

    expect(new Set(results.map((r) => r.client.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(at.fake.records(TEST_BASE_ID, 'Clients').filter((r) => r.fields['Phone'] === phone)).toHaveLength(1);
  });

  it('20 simultaneous pool claims for 20 clients of one sitter, split over two processes, never share a pool number', async () => {
    const [a, b] = await twoProcesses();
    // seeded straight into the base: the race, not the set-up, is what spends the request budget here
    const pool = at.fake.seed(
      TEST_BASE_ID,
      'Number Inventory',
      Array.from({ length: 20 }, (_, i) => ({
        'Phone Number': nextPhone(),
        Lifecycle: 'Pool',
        Status: 'Ready',
        'Purchased At': new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
        'Purchase Token': `seed-${i}`,
      })),
    );
    const [sitter] = at.fake.seed(TEST_BASE_ID, 'Sitters', [{ Name: 'Sam', Phone: nextPhone('720'), Status: 'Active', 'Reserved Number': '+17205550100' }]);
    const clients = at.fake.seed(TEST_BASE_ID, 'Clients', Array.from({ length: 20 }, () => ({ Phone: nextPhone(), Source: 'First Contact' })));

    const results = await Promise.all(
      clients.map((c, i) =>
        (i % 2 ? a : b).ports.sessions.openOrGet({ clientId: c.id, sitterId: sitter.id, reservedNumber: '+17205550100', now: new Date() }),
      ),
    );

    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    const stored = at.fake.records(TEST_BASE_ID, 'Sessions').filter((r) => r.fields['Status'] === 'Active');
    expect(stored).toHaveLength(20);
    const poolNumbers = stored.map((r) => r.fields['Pool Number']);
    expect(new Set(poolNumbers).size).toBe(20);
    expect([...poolNumbers].sort()).toEqual(pool.map((n) => n.fields['Phone Number']).sort());
  });
});
