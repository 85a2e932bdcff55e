import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(60_000);

interface Operation {
  tags?: string[];
  summary?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ in: string; name: string; example?: unknown }>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  'x-twilio-only'?: boolean;
}

describe('Swagger for ops (/docs-json)', () => {
  let t: TestApp;
  let doc: {
    tags: Array<{ name: string; description: string }>;
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  };
  let operations: Array<{ method: string; path: string; op: Operation }>;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await request(t.url).get('/docs-json').expect(200)).body;
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })));
  });
  afterAll(() => t?.close());

  it('groups every route under a described module tag, each with a summary', () => {
    const described = new Map(doc.tags.map((tag) => [tag.name, tag.description]));
    const ungrouped = operations.filter(({ op }) => !op.tags?.length || op.tags.some((tag) => !described.get(tag)) || !op.summary?.trim());
    expect(ungrouped.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('names the auth scheme of every route: Twilio-only routes marked, read-only GETs open to the admin login too', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['admin', 'api_key', 'bearer', 'twilio_signature']);
    for (const { method, path, op } of operations) {
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      if (path === '/health') continue;
      if (op.tags?.includes('twilio')) {
        expect({ path, schemes, twilioOnly: op['x-twilio-only'] }).toEqual({ path, schemes: ['twilio_signature'], twilioOnly: true });
      } else {
        expect({ path, method, apiKey: schemes.includes('api_key'), admin: schemes.includes('admin') }).toEqual({ path, method, apiKey: true, admin: method === 'get' });
      }
    }
  });

  it('documents the one error shape on every protected route', () => {
    expect(doc.components.schemas.ErrorBodyDto).toMatchObject({ properties: { success: {}, error: { example: expect.any(String) }, details: { example: expect.any(Object) } } });
    const without = operations.filter(({ path, op }) => path !== '/health' && !Object.values(op.responses).some((r) => Object.values(r.content ?? {}).some((c) => c.schema?.$ref === '#/components/schemas/ErrorBodyDto')));
    expect(without.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('gives realistic examples: record ids, E.164 numbers', () => {
    const idParams = operations.flatMap(({ op }) => (op.parameters ?? []).filter((p) => p.in === 'path' && p.name === 'id'));
    expect(idParams.length).toBeGreaterThan(5);
    for (const p of idParams) expect(p.example).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^rec[A-Za-z0-9]{14}$/);
    const examples = JSON.stringify(doc.components.schemas);
    expect(examples).toMatch(/"example":"\+1\d{10}"/);
  });

  it('keeps the pages out of it (the dashboard, Bull Board, /metrics, the debug route)', () => {
    for (const path of ['/admin', '/admin/summary.json', '/metrics', '/numbers/debug']) expect(doc.paths[path]).toBeUndefined();
  });
});
