import request from 'supertest';
import { phoneFor, useRelayApp } from './support/relay-world';

jest.setTimeout(60_000);

describe('client sync (Time to Pet, Zap 1) and the relay', () => {
  const f = useRelayApp({ sitter: 'Sync Sitter', poolNumbers: 4 });

  it('refuses Zapier routes without the API key', async () => {
    await request(f.t.url).post('/clients/sync').send({ client_id: '1', phone: '3035550112' }).expect(401);
    await request(f.t.url).get('/clients/anything').expect(401);
  });

  it('creates, then updates by Time to Pet ID, from JSON or form bodies', async () => {
    const phone = phoneFor('client');
    const created = await f.world.syncClient({ client_id: 48213, first_name: 'Alice', last_name: 'Smith', email: 'alice@example.com', phone: phone.slice(2), address: '1 Main St' }).expect(200);
    expect(created.body).toMatchObject({ success: true, action: 'created', name: 'Alice Smith', phone, time_to_pet_id: '48213', source: 'sync', email: 'alice@example.com' });

    const updated = await request(f.t.url)
      .post('/clients/sync')
      .set(f.t.auth)
      .type('form')
      .send({ client_id: '48213', first_name: 'Alicia', last_name: 'Smith', phone: `(${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`, created_at: '2024-01-15 10:30:00', updated_at: '2025-02-01T08:00:00Z' })
      .expect(200);
    expect(updated.body).toMatchObject({ action: 'updated', client_id: created.body.client_id, name: 'Alicia Smith' });

    const fetched = await request(f.t.url).get(`/clients/${created.body.client_id}`).set(f.t.auth).expect(200);
    expect(fetched.body).toMatchObject({ client_id: created.body.client_id, name: 'Alicia Smith', phone, time_to_pet_id: '48213', source: 'sync' });
  });

  it('skips a missing or invalid phone with 200 and the reason', async () => {
    const missing = await f.world.syncClient({ client_id: 'ttp-no-phone', first_name: 'No', last_name: 'Phone' }).expect(200);
    expect(missing.body).toEqual({ success: true, action: 'skipped', reason: 'missing_phone', time_to_pet_id: 'ttp-no-phone' });
    const blank = await f.world.syncClient({ client_id: 'ttp-blank', phone: '   ' }).expect(200);
    expect(blank.body.reason).toBe('missing_phone');
    const invalid = await f.world.syncClient({ client_id: 'ttp-bad-phone', phone: '555-12' }).expect(200);
    expect(invalid.body).toMatchObject({ action: 'skipped', reason: 'invalid_phone' });
    expect(await f.world.clients.findByTimeToPetId('ttp-bad-phone')).toBeNull();
  });

  it('answers 400 naming each malformed field', async () => {
    const noId = await f.world.syncClient({ first_name: 'A', phone: '3035550112' }).expect(400);
    expect(Object.keys(noId.body.details.fields)).toEqual(['client_id']);
    const shapes = await f.world.syncClient({ client_id: { id: 1 }, first_name: ['A'], phone: { n: 1 }, created_at: 'yesterday-ish' }).expect(400);
    expect(Object.keys(shapes.body.details.fields).sort()).toEqual(['client_id', 'created_at', 'first_name', 'phone']);
    expect(shapes.body).toMatchObject({ success: false, details: { code: 'validation_failed' } });
  });

  it('answers 404 for an unknown client id, whatever its shape', async () => {
    await request(f.t.url).get('/clients/00000000-0000-4000-8000-000000000000').set(f.t.auth).expect(404);
    const odd = await request(f.t.url).get(`/clients/${encodeURIComponent("x' OR 1=1 --")}`).set(f.t.auth).expect(404);
    expect(odd.body).toMatchObject({ success: false, details: { code: 'not_found' } });
  });

  it('a text before the sync, the sync a moment later: one client with the synced name, carried by the next message', async () => {
    const phone = phoneFor('client');
    await f.world.text({ from: phone, to: f.sitter.reserved, body: 'Hi, new here' });
    const [first] = await f.world.waitForSent(f.sitter.sitter.phone, 1);
    expect(first.body).toBe(`[Client ...${phone.slice(-4)}]: Hi, new here`);
    await f.world.waitForRelayIdle();
    const shell = await f.world.clients.findByPhone(phone);
    expect(shell).toMatchObject({ source: 'first_contact', name: null, sitterId: f.sitter.sitter.id });

    const merged = await f.world.syncClient({ client_id: 'ttp-bob', first_name: 'Bob', last_name: 'Jones', phone }).expect(200);
    expect(merged.body).toMatchObject({ action: 'merged', client_id: shell!.id, name: 'Bob Jones', source: 'sync' });

    await f.world.text({ from: phone, to: f.sitter.reserved, body: 'Me again' });
    const received = await f.world.waitForSent(f.sitter.sitter.phone, 2);
    expect(received[1]).toMatchObject({ body: '[Bob Jones]: Me again', from: first.from });
    expect(await f.world.clients.findByTimeToPetId('ttp-bob')).toMatchObject({ id: shell!.id, phone });
  });

  it('a sync and a first text at the same moment end in exactly one client', async () => {
    const phone = phoneFor('client');
    const [synced] = await Promise.all([
      f.world.syncClient({ client_id: 'ttp-race', first_name: 'Cara', last_name: 'Race', phone }).then((r) => r),
      f.world.text({ from: phone, to: f.sitter.reserved, body: 'racing' }),
    ]);
    expect(synced.status).toBe(200);
    await f.world.waitForSent(f.sitter.sitter.phone, 3);
    await f.world.waitForRelayIdle();
    const byPhone = await f.world.clients.findByPhone(phone);
    const byId = await f.world.clients.findByTimeToPetId('ttp-race');
    expect(byPhone?.id).toBe(byId?.id);
    expect(byPhone).toMatchObject({ name: 'Cara Race', source: 'sync' });
    await f.world.text({ from: phone, to: f.sitter.reserved, body: 'after the race' });
    expect((await f.world.waitForSent(f.sitter.sitter.phone, 4))[3].body).toBe('[Cara Race]: after the race');
  });
});
