import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

/** routes deliberately kept out of the public Swagger document */
const NOT_IN_SWAGGER = ['/numbers/debug', '/admin', '/metrics', '/admin/queues'];
const DOCS = join(__dirname, '..', 'docs');

/** every `METHOD /path` the guides name, with :params as Swagger writes them ({param}) */
function routesInGuides(): Array<{ guide: string; method: string; path: string }> {
  const found: Array<{ guide: string; method: string; path: string }> = [];
  for (const guide of readdirSync(DOCS).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(DOCS, guide), 'utf8');
    for (const [, method, path] of text.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s?]*)[^`]*`/g)) {
      found.push({ guide, method: method.toLowerCase(), path: path.replace(/:([a-z_]+)/g, '{$1}') });
    }
  }
  return found;
}

describe('the guides in docs/', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('name only routes that exist (each found in /docs-json, except the ones kept out of it on purpose)', async () => {
    const paths = (await request(t.url).get('/docs-json').expect(200)).body.paths as Record<string, Record<string, unknown>>;
    const routes = routesInGuides();
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes.filter((r) => !NOT_IN_SWAGGER.includes(r.path) && !paths[r.path]?.[r.method]).map((r) => `${r.guide}: ${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('name only npm scripts that exist', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).scripts as Record<string, string>);
    const named = readdirSync(DOCS)
      .filter((f) => f.endsWith('.md'))
      .flatMap((guide) => [...readFileSync(join(DOCS, guide), 'utf8').matchAll(/npm run ([a-z:-]+)/g)].map((m) => ({ guide, script: m[1] })));
    expect(named.filter((n) => !scripts.includes(n.script)).map((n) => `${n.guide}: npm run ${n.script}`)).toEqual([]);
  });
});
