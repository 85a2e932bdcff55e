import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SECURITY } from '../common/auth/route-kinds.decorator';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

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
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'ADMIN_USERNAME / ADMIN_PASSWORD' }, SECURITY.admin)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: DOCS_JSON_PATH, yamlDocumentUrl: 'docs-yaml', swaggerOptions: { persistAuthorization: true } });
}
