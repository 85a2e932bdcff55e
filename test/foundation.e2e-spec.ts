import { ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { queuesInUse } from '@maskline/jobs';
import { probeCalls, ProbeModule } from './support/probe.module';
import { basicAuth, startTestApp, TestApp, TEST_API_KEY } from './support/test-app';

/** Every route Nest registered, as "METHOD /path" in OpenAPI's {param} style, minus excluded ones. */
function registeredRoutes(t: TestApp): string[] {
  const routes: string[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const { metatype } of mod.controllers.values()) {
      if (!metatype || Reflect.getMetadata('swagger/apiExcludeController', metatype)) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '').replace(/^\/|\/$/g, '');
      for (const name of Object.getOwnPropertyNames(metatype.prototype)) {
        const handler = metatype.prototype[name];
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        if (name === 'constructor' || path === undefined || Reflect.getMetadata('swagger/apiExcludeEndpoint', handler)?.disable) continue;
        const full = '/' + [base, String(path).replace(/^\/|\/$/g, '')].filter(Boolean).join('/');
        routes.push(`${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)]} ${full.replace(/:(\w+)/g, '{$1}')}`);
      }
    }
  }
  return routes;
}

describe('foundation (HTTP app, real Redis, embedded store, simulator)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ extraModules: [ProbeModule] });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('ops surfaces', () => {
    it('/health answers 200 with Redis and the store up', async () => {
      const res = await request(t.url).get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' }, store: { status: 'up', driver: 'sql' } } });
    });

    it('/docs renders Swagger UI and /docs-json lists every route with its auth scheme', async () => {
      const ui = await request(t.url).get('/docs').redirects(1).expect(200);
      expect(ui.text).toMatch(/swagger-ui/i);
      const doc = (await request(t.url).get('/docs-json').expect(200)).body;
      const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
      for (const route of registeredRoutes(t)) expect(documented).toContain(route);
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['admin', 'api_key', 'bearer', 'twilio_signature']);
      expect(doc.paths['/probe/echo'].post.security).toEqual(expect.arrayContaining([{ api_key: [] }, { bearer: [] }]));
      expect(doc.paths['/probe/twilio'].post.security).toEqual([{ twilio_signature: [] }]);
      expect(doc.components.schemas.EchoDto.required).toEqual(expect.arrayContaining(['name', 'quantity']));
    });

    it('/admin/queues needs admin credentials and lists every queue', async () => {
      await request(t.url).get('/admin/queues').expect(401).expect('www-authenticate', /Basic/);
      await request(t.url).get('/admin/queues').set('authorization', basicAuth('ops', 'wrong-password')).expect(401);
      const page = await request(t.url).get('/admin/queues').set('authorization', basicAuth()).expect(200);
      expect(page.text).toMatch(/<html/i);
      await request(t.url).get('/admin/queues/api/queues').expect(401);
      const api = await request(t.url).get('/admin/queues/api/queues').set('authorization', basicAuth()).expect(200);
      const names = (api.body.queues as { name: string }[]).map((q) => q.name);
      expect(names).toEqual(expect.arrayContaining(queuesInUse(t.config)));
    });
  });

  describe('errors', () => {
    it('unknown routes and malformed JSON answer in the one error shape', async () => {
      const missing = await request(t.url).get('/nope').expect(404);
      expect(missing.body).toMatchObject({ success: false, error: expect.any(String), details: { code: 'not_found' } });
      const bad = await request(t.url).post('/probe/echo').set(t.auth).set('content-type', 'application/json').send('{"name": ').expect(400);
      expect(bad.body).toMatchObject({ success: false, error: 'Request body is not valid JSON' });
    });

    it('validation errors name each bad field', async () => {
      const res = await request(t.url).post('/probe/echo').set(t.auth).send({ quantity: 80 }).expect(400);
      expect(res.body.success).toBe(false);
      expect(Object.keys(res.body.details.fields).sort()).toEqual(['name', 'quantity']);
      expect(res.body.details.fields.quantity.join()).toMatch(/quantity must not be greater than 50/);
    });
  });

  describe('API key', () => {
    it('refuses a missing or wrong key with 401', async () => {
      const missing = await request(t.url).post('/probe/echo').send({ name: 'a', quantity: 1 }).expect(401);
      expect(missing.body).toMatchObject({ success: false, details: { code: 'unauthorized' } });
      await request(t.url).post('/probe/echo').set('x-api-key', 'wrong-key-wrong-key').send({ name: 'a', quantity: 1 }).expect(401);
      await request(t.url).post('/probe/echo').set('authorization', 'Bearer nope').send({ name: 'a', quantity: 1 }).expect(401);
    });

    it('accepts X-Api-Key or a bearer token, with JSON or form bodies', async () => {
      await request(t.url).post('/probe/echo').set(t.auth).send({ name: 'json', quantity: 2 }).expect(202);
      const form = await request(t.url).post('/probe/echo').set('authorization', `Bearer ${TEST_API_KEY}`).type('form').send('name=form&quantity=3').expect(202);
      expect(form.body).toMatchObject({ name: 'form', quantity: 3 });
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer without redoing the work', async () => {
      const before = probeCalls.echo;
      const first = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-1').send({ name: 'x', quantity: 1 }).expect(202);
      const again = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-1').send({ quantity: 1, name: 'x' }).expect(202);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(probeCalls.echo).toBe(before + 1);
    });

    it('answers 422 when the same key comes with another payload', async () => {
      await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-2').send({ name: 'x', quantity: 1 }).expect(202);
      const res = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-2').send({ name: 'y', quantity: 1 }).expect(422);
      expect(res.body.details.code).toBe('idempotency_key_reused');
    });

    it('answers 409 while the first request is still running', async () => {
      const slow = request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-3').send({ name: 'slow', quantity: 1 });
      const slowDone = slow.then((r) => r);
      await new Promise((r) => setTimeout(r, 150));
      const busy = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-3').send({ name: 'slow', quantity: 1 }).expect(409);
      expect(busy.body.details.code).toBe('idempotency_in_flight');
      expect((await slowDone).status).toBe(202);
    });

    it('frees the key after a 5xx, so a retry does the work again', async () => {
      const before = probeCalls.echo;
      await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-5').send({ name: 'boom', quantity: 1 }).expect(500);
      const again = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-5').send({ name: 'boom', quantity: 1 }).expect(500);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(probeCalls.echo).toBe(before + 2);
    });

    it('a request refused for its API key does not take the Idempotency-Key', async () => {
      await request(t.url).post('/probe/echo').set('x-api-key', 'wrong-key-wrong-key').set('idempotency-key', 'idem-6').send({ name: 'x', quantity: 1 }).expect(401);
      const ok = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-6').send({ name: 'x', quantity: 1 }).expect(202);
      expect(ok.headers['idempotent-replayed']).toBeUndefined();
    });

    it('records the answer even when the client hung up before it came, so the retry gets the replay', async () => {
      const before = probeCalls.echo;
      const controller = new AbortController();
      const hungUp = fetch(`${t.url}/probe/echo`, {
        method: 'POST',
        headers: { ...t.auth, 'content-type': 'application/json', 'idempotency-key': 'idem-7' },
        body: JSON.stringify({ name: 'slow', quantity: 1 }),
        signal: controller.signal,
      }).catch(() => 'aborted');
      await new Promise((r) => setTimeout(r, 150));
      controller.abort();
      expect(await hungUp).toBe('aborted');
      await new Promise((r) => setTimeout(r, 800)); // the handler finishes on the server

      const retry = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-7').send({ name: 'slow', quantity: 1 }).expect(202);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(probeCalls.echo).toBe(before + 1);
    });

    it('refuses a malformed Idempotency-Key with 400 naming the header', async () => {
      const res = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'has space').send({ name: 'x', quantity: 1 }).expect(400);
      expect(JSON.stringify(res.body.details)).toContain('Idempotency-Key');
    });

    it('replays a validation failure as it was', async () => {
      const a = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-4').send({ name: 'x', quantity: 99 }).expect(400);
      const b = await request(t.url).post('/probe/echo').set(t.auth).set('idempotency-key', 'idem-4').send({ name: 'x', quantity: 99 }).expect(400);
      expect(b.body).toEqual(a.body);
    });
  });

  describe('Twilio signature', () => {
    const params = { MessageSid: 'SM' + 'a'.repeat(32), From: '+13035550112', To: '+17205550199', Body: 'hello' };
    const sign = (url: string, p: Record<string, string> = params) => getExpectedTwilioSignature(t.config.twilio.authToken, url, p);

    it('refuses a missing or forged signature with 403', async () => {
      const none = await request(t.url).post('/probe/twilio').type('form').send(params).expect(403);
      expect(none.body).toMatchObject({ success: false, details: { code: 'forbidden' } });
      await request(t.url).post('/probe/twilio').set('x-twilio-signature', 'Zm9yZ2Vk').type('form').send(params).expect(403);
      // signed for a different body
      await request(t.url).post('/probe/twilio').set('x-twilio-signature', sign(`${t.url}/probe/twilio`)).type('form').send({ ...params, Body: 'tampered' }).expect(403);
    });

    it('checks against PUBLIC_BASE_URL, not the Host header', async () => {
      const spoofed = sign('http://evil.example/probe/twilio');
      await request(t.url).post('/probe/twilio').set('host', 'evil.example').set('x-twilio-signature', spoofed).type('form').send(params).expect(403);
    });

    it('accepts a signed webhook the simulator sends as Twilio would, and refuses it once tampered', async () => {
      const number = t.sim.addOwnedNumber({ areaCode: '303', smsUrl: `${t.url}/probe/twilio` });
      const answer = await t.sim.sendInboundSms({ from: '+13035550112', to: number.phoneNumber, body: 'hi' });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).received).toBe(answer.messageSid);
      // the same webhook with a signature for another URL is refused
      const params = t.sim.inboundMessages.at(-1)!.params as Record<string, string>;
      const wrongUrl = getExpectedTwilioSignature(t.config.twilio.authToken, 'https://elsewhere.example/probe/twilio', params);
      await request(t.url).post('/probe/twilio').set('x-twilio-signature', wrongUrl).type('form').send(params).expect(403);
    });

    it('accepts a correctly signed request', async () => {
      const res = await request(t.url).post('/probe/twilio').set('x-twilio-signature', sign(`${t.config.http.publicBaseUrl}/probe/twilio`)).type('form').send(params).expect(200);
      expect(res.body.received).toBe(params.MessageSid);
    });
  });

  describe('logs', () => {
    it('mask phone numbers and never contain bodies or keys', async () => {
      t.logs.lines.length = 0;
      await request(t.url).post('/probe/echo?phone=%2B13035550112&alt=+17205550199').set(t.auth).send({ name: 'secret body text', quantity: 1, phone: '+13035550112' }).expect(202);
      await request(t.url).post('/probe/echo').set('x-api-key', 'wrong-key-wrong-key').send({ name: 'a', quantity: 1 }).expect(401);
      const text = t.logs.text;
      expect(t.logs.lines.length).toBeGreaterThan(0);
      expect(text).toContain('***0112');
      expect(text).not.toMatch(/3035550112|7205550199/);
      expect(text).not.toContain('secret body text');
      expect(text).not.toContain(TEST_API_KEY);
      expect(text).not.toContain('wrong-key-wrong-key');
      for (const line of t.logs.lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(JSON.parse(t.logs.lines[0]).req?.id ?? JSON.parse(t.logs.lines[0]).reqId).toBeDefined();
    });
  });
});
