import net from 'node:net';
import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { basicAuth, startTestApp, TestApp } from './support/test-app';
import { phoneFor, RelayWorld } from './relay/support/relay-world';

jest.setTimeout(180_000);

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; example?: unknown; required?: string[] };
interface Operation {
  security?: Record<string, unknown>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Route {
  method: string;
  path: string;
  op: Operation;
}

/** every value a hostile client may put in a field */
const HOSTILE: [string, unknown][] = [
  ['an object', { $gt: '' }],
  ['an object with toString', { toString: 'x' }],
  ['an array', ['x']],
  ['null', null],
  ['a boolean', true],
  ['10,000 characters', 'x'.repeat(10_000)],
  ['a NUL', 'Nul\u0000Byte'],
];
const TWO_MB = 2 * 1024 * 1024;
const UUID = '5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11';

/**
 * Generated from /docs-json, so a new route is covered without editing this
 * file: every field of every body gets every hostile value, every route gets
 * malformed and oversized bodies, an over-long :id and the wrong media type.
 * Nothing may answer 5xx or drop the connection; every 4xx is in the one error
 * shape; the log has no error line afterwards.
 */
describe('hostile input never gets a 500', () => {
  let t: TestApp;
  let world: RelayWorld;
  let routes: Route[];
  let components: Record<string, Schema>;
  const answers: { probe: string; status: number; body: unknown }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { MAX_PURCHASES_PER_DAY: '100000' } });
    world = new RelayWorld(t);
    const doc = (await request(t.url).get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
    components = doc.components.schemas;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })));
    // the admin-only debug route is kept out of the public document; it is probed too
    routes.push({ method: 'get', path: '/numbers/debug', op: { security: [{ admin: [] }] } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const zapierRoutes = () => routes.filter((r) => !(r.op.security ?? []).some((s) => 'twilio_signature' in s));
  const resolve = (schema: Schema): Schema => (schema.$ref ? components[schema.$ref.split('/').pop()!] : schema);
  const withAuth = (r: Route, req: request.Test) => ((r.op.security ?? []).some((s) => 'admin' in s) ? req.set('authorization', basicAuth()) : req.set(t.auth));
  const pathOf = (r: Route, id = UUID) => r.path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
  const call = (r: Route, id?: string) => withAuth(r, request(t.url)[r.method as 'post'](pathOf(r, id)));

  /** records the answer; a dropped connection fails the test here */
  async function probe(name: string, send: () => request.Test): Promise<void> {
    const res = await send();
    answers.push({ probe: name, status: res.status, body: res.body });
  }

  /** a body that passes validation, from the document's examples */
  function exampleBody(schema: Schema): Record<string, unknown> {
    const props = resolve(schema).properties ?? {};
    return Object.fromEntries(Object.entries(props).flatMap(([k, p]) => (p.example !== undefined ? [[k, p.example]] : [])));
  }

  it('answers every hostile body, id and media type with a 4xx in the error shape (or a 2xx it legitimately accepts)', async () => {
    for (const r of zapierRoutes()) {
      const route = `${r.method.toUpperCase()} ${r.path}`;
      const schema = r.op.requestBody?.content['application/json']?.schema;
      if (schema) {
        const base = exampleBody(schema);
        for (const field of Object.keys(resolve(schema).properties ?? {})) {
          for (const [what, value] of HOSTILE) await probe(`${route} ${field} as ${what}`, () => call(r).send({ ...base, [field]: value }));
        }
        for (const [what, body] of [['null', 'null'], ['an array', '[]'], ['a number', '42'], ['malformed JSON', '{"a":']] as const) {
          await probe(`${route} body ${what}`, () => call(r).set('content-type', 'application/json').send(body));
        }
        await probe(`${route} 2 MB JSON`, () => call(r).set('content-type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(TWO_MB) })));
        await probe(`${route} 2 MB form`, () => call(r).type('form').send(`name=${'x'.repeat(TWO_MB)}`));
        await probe(`${route} text/plain`, () => call(r).set('content-type', 'text/plain').send('hello'));
      }
      for (const q of (r.op.parameters ?? []).filter((p) => p.in === 'query')) {
        for (const value of ['Nul\u0000Byte', 'x'.repeat(10_000)]) await probe(`${route} ?${q.name} hostile`, () => call(r).query({ [q.name]: value }));
        await probe(`${route} ?${q.name} repeated`, () => call(r).query(`${q.name}=a&${q.name}=b`));
      }
      if (r.path.includes('{')) {
        await probe(`${route} 3,000-character id`, () => call(r, 'x'.repeat(3000)));
        await probe(`${route} id with a NUL`, () => call(r, 'a\u0000b'));
      }
    }
    await probe('unknown route', () => request(t.url).get('/no-such-route').set(t.auth));
    await probe('unknown method', () => request(t.url).delete('/sitters').set(t.auth));

    const broken = answers.filter((a) => a.status >= 500 || (a.status >= 400 && !isErrorShape(a.body)));
    expect(broken).toEqual([]);
    expect(answers.length).toBeGreaterThan(200);
    // nothing was stored as "[object Object]"
    const sitters = await Promise.all(answers.flatMap((a) => ((a.body as { sitter_id?: string })?.sitter_id ? [(a.body as { sitter_id: string }).sitter_id] : [])).map((id) => request(t.url).get(`/sitters/${id}`).set(t.auth)));
    const stored = JSON.stringify(sitters.map((s) => s.body));
    expect(stored).not.toContain('[object Object]');
    expect(stored).not.toContain('\\u0000');
  });

  it('names the field, refuses objects before conversion, and keeps the framework errors in the one shape', async () => {
    const objectName = await request(t.url).post('/sitters').set(t.auth).send({ name: { $gt: '' }, phone: '+13035550150' }).expect(400);
    expect(objectName.body.details.fields).toEqual({ name: ['name must be a string, not an object'] });
    const nul = await request(t.url).post('/sitters').set(t.auth).send({ name: 'Nul\u0000Byte', phone: '+13035550150' }).expect(400);
    expect(Object.keys(nul.body.details.fields)).toEqual(['name']);
    await request(t.url).post('/attach-number').set(t.auth).send({ sitter_id: { $gt: '' } }).expect(400);
    await request(t.url).post('/numbers/standby-replenish').set(t.auth).set('content-type', 'application/json').send('null').expect(400);
    // a phone string that is not a number is still "skipped" (SPEC 5); a phone of the wrong type is a 400
    const skipped = await request(t.url).post('/clients/sync').set(t.auth).send({ client_id: 'ttp-h1', first_name: 'A', phone: 'not a phone' }).expect(200);
    expect(skipped.body.action).toBe('skipped');
    await request(t.url).post('/clients/sync').set(t.auth).send({ client_id: 'ttp-h1', first_name: 'A', phone: ['+13035550150'] }).expect(400);
    // multi-line free text keeps its newlines
    await request(t.url).post('/clients/sync').set(t.auth).send({ client_id: 'ttp-h2', first_name: 'B', phone: '+13035550151', address: '1 Main St\nApt 2' }).expect(200);

    expect((await request(t.url).get(`/numbers/${'x'.repeat(3000)}`).set(t.auth).expect(414)).body).toMatchObject({ success: false, details: { code: 'uri_too_long' } });
    expect((await request(t.url).post('/sitters').set(t.auth).set('content-type', 'text/plain').send('hi').expect(415)).body.success).toBe(false);
    expect((await request(t.url).post('/sitters').set(t.auth).type('form').send(`name=${'x'.repeat(TWO_MB)}`).expect(413)).body.success).toBe(false);
    expect((await request(t.url).get('/nowhere').expect(404)).body.success).toBe(false);
  });

  it('answers a 2 MB body with a 413 the client reads, after sending it all, on every try', async () => {
    const { port } = new URL(t.url);
    for (let i = 0; i < 10; i++) {
      const [type, body] = i % 2 ? ['application/x-www-form-urlencoded', `name=${'x'.repeat(TWO_MB)}`] : ['application/json', JSON.stringify({ name: 'x'.repeat(TWO_MB) })];
      const answer = await rawPost(Number(port), '/sitters', type, body, t.auth['x-api-key']);
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toContain('"success":false');
    }
  });

  it('answers signed Twilio webhooks with hostile values without a 5xx, and relays a body with a NUL once, cleaned', async () => {
    const sign = (path: string, params: Record<string, string>) => getExpectedTwilioSignature(t.config.twilio.authToken, `${t.url}${path}`, params);
    const post = (path: string, params: Record<string, string>) => request(t.url).post(path).set('x-twilio-signature', sign(path, params)).type('form').send(params);
    const inbound = { MessageSid: 'SM' + '1'.repeat(32), From: '+17195550100', To: '+13035550100', Body: 'hi', NumMedia: '0' };
    const status = { MessageSid: 'SM' + '2'.repeat(32), MessageStatus: 'failed', ErrorCode: '30003' };
    const twilioAnswers: { probe: string; status: number }[] = [];
    for (const [path, base] of [['/intercept', inbound], ['/twilio/status', status]] as const) {
      for (const field of [...Object.keys(base), 'MediaUrl0', 'AccountSid']) {
        for (const value of ['Nul\u0000Byte', 'x'.repeat(10_000), '', '\u0000']) {
          const res = await post(path, { ...base, [field]: value });
          twilioAnswers.push({ probe: `${path} ${field}`, status: res.status });
        }
      }
    }
    expect(twilioAnswers.filter((a) => a.status >= 500)).toEqual([]);

    const anna = await world.addSitter('Anna Sitter');
    await world.addPoolNumbers(1);
    const client = phoneFor('client');
    const sent = await world.text({ from: client, to: anna.reserved, body: 'Hello\u0000 there\nsecond line' });
    expect(sent.status).toBe(200);
    const [relayed] = await world.waitForSent(anna.sitter.phone, 1);
    expect(relayed.body).toBe('[Client ...' + client.slice(-4) + ']: Hello there\nsecond line');
    await world.waitForRelayIdle();
    expect(world.sentTo(anna.sitter.phone)).toHaveLength(1);
  });

  it('stays healthy, logs no error, and still completes a normal purchase', async () => {
    await request(t.url).get('/health').expect(200);
    const bought = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303' }).expect(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const n = await request(t.url).get(`/numbers/${bought.body.number_inventory_id}`).set(t.auth).expect(200);
      if (n.body.status === 'ready') break;
      if (Date.now() > deadline) throw new Error(`purchase still ${n.body.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const errors = t.logs.lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});

/** a client that writes its whole body in chunks before it reads; answers what it read, or the socket error */
function rawPost(port: number, path: string, type: string, body: string, apiKey: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', (e) => resolve(answer || `socket error: ${e.message}`));
    socket.on('close', () => resolve(answer));
    socket.on('connect', async () => {
      // reads nothing until it has sent everything, as a simple HTTP client does
      socket.pause();
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nX-Api-Key: ${apiKey}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
      for (let at = 0; at < body.length && !socket.destroyed; at += 64 * 1024) {
        if (!socket.write(body.slice(at, at + 64 * 1024))) await new Promise((r) => socket.once('drain', r));
      }
      socket.end();
      socket.resume();
    });
  });
}

function isErrorShape(body: unknown): boolean {
  const b = body as { success?: unknown; error?: unknown; details?: unknown };
  return b?.success === false && typeof b.error === 'string' && typeof b.details === 'object' && b.details !== null;
}
