import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SECURITY } from '../common/auth/route-kinds.decorator';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/** One group per feature module, in the order ops read them. */
export const TAGS: Record<string, string> = {
  inventory: 'Number inventory (src/inventory): purchases, their progress and retries, the pool capacity check, the standby keeper, releasing numbers',
  sitters: 'Sitters and their reserved numbers (src/sitters): onboarding, attach-number and detach-number',
  sessions: 'Relay sessions (src/sessions): a client and a sitter talking through a pool number',
  clients: 'Clients (src/clients): the Time to Pet sync and lookups',
  messages: 'Relayed messages (src/intercept): delivery failures and their retry state',
  outreach: 'Outreach conversations (src/outreach): the business texting a client from its outreach number',
  twilio: 'Twilio only (src/intercept): webhooks Twilio calls, checked with X-Twilio-Signature against PUBLIC_BASE_URL. Not for Zapier or people: a call without a valid signature answers 403.',
  ops: 'Liveness for load balancers and uptime checks (no credentials). The ops dashboard (/admin), Bull Board (/admin/queues) and Prometheus (/metrics) are pages, not API routes: see docs/operations.md',
};

// Record ids are UUIDs with the sql store and Airtable record ids (rec + 14 characters) with the airtable store.
const ID_EXAMPLE = '5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11';
const ID_DESCRIPTION = 'Record id: a UUID (sql store) or an Airtable record id such as recA1b2C3d4E5f6G7 (airtable store)';

/** every `{id}` path parameter gets the same realistic example and meaning, wherever a controller left it bare */
function describeIdParameters(document: OpenAPIObject): void {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of (operation as { parameters?: Array<Record<string, unknown>> }).parameters ?? []) {
        if (parameter.in !== 'path' || parameter.name !== 'id') continue;
        parameter.description ??= ID_DESCRIPTION;
        parameter.example ??= ID_EXAMPLE;
      }
    }
  }
}

/** /docs (Swagger UI) and /docs-json, generated from controllers and DTOs by the CLI plugin. */
export function setupSwagger(app: INestApplication, publicBaseUrl: string): void {
  const config = new DocumentBuilder()
    .setTitle('Maskline')
    .setDescription(
      'Masked-number SMS relay and number inventory. Zapier routes take an API key (X-Api-Key or Authorization: Bearer) ' +
        'and honour Idempotency-Key; Twilio routes check X-Twilio-Signature; admin routes use basic auth. ' +
        'Every failure answers {success: false, error, details}. ' +
        'Relay transport (RELAY_MODE, fixed at start-up): messaging (default) takes Twilio inbound SMS on POST /intercept; ' +
        'proxy takes a Proxy service\'s callbacks: set its Intercept Callback URL to <PUBLIC_BASE_URL>/intercept and its ' +
        'Out of Session Callback URL to <PUBLIC_BASE_URL>/out-of-session (both shown here when the service runs in proxy mode).',
    )
    .setVersion('1.0')
    .addServer(publicBaseUrl)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Zapier API key' }, SECURITY.apiKey)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The same API key as a bearer token' }, SECURITY.bearer)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Twilio-Signature', description: 'Set by Twilio; validated against PUBLIC_BASE_URL' }, SECURITY.twilio)
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'ADMIN_USERNAME / ADMIN_PASSWORD (also opens every read-only GET route)' }, SECURITY.admin);
  for (const [name, description] of Object.entries(TAGS)) config.addTag(name, description);
  const document = SwaggerModule.createDocument(app, config.build());
  describeIdParameters(document);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: DOCS_JSON_PATH, yamlDocumentUrl: 'docs-yaml', swaggerOptions: { persistAuthorization: true } });
}
