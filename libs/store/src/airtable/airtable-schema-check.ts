import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { AirtableRequestError, AirtableUnavailableError } from './airtable-errors';
import { AirtableGateway } from './airtable-gateway';
import { ResolvedSchema, TABLE_KEYS } from './airtable-schema';
import { AirtableTables } from './airtable-tables';

interface MetaTable {
  name: string;
  fields: { name: string }[];
}

/** every configured table or field the base lacks, as an operator would look for it */
export function findMissingSchema(schema: ResolvedSchema, tables: MetaTable[]): string[] {
  const missing: string[] = [];
  for (const key of TABLE_KEYS) {
    const wanted = schema[key];
    const found = tables.find((t) => t.name === wanted.name);
    if (!found) {
      missing.push(`table "${wanted.name}"`);
      continue;
    }
    const have = new Set(found.fields.map((f) => f.name));
    for (const field of Object.values(wanted.fields as Record<string, string>)) {
      if (!have.has(field)) missing.push(`field "${field}" in table "${wanted.name}"`);
    }
  }
  return missing;
}

/**
 * Start-up check of the base against the configured names (meta API). A
 * token without the schema.bases:read scope answers 403/404: logged, skipped.
 * Airtable being unreachable is not a reason to refuse to start either.
 */
@Injectable()
export class AirtableSchemaCheck implements OnModuleInit {
  private readonly logger = new Logger('AirtableSchemaCheck');

  constructor(
    private readonly gateway: AirtableGateway,
    private readonly tables: AirtableTables,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    // the limiter needs Redis; RedisService's own readiness wait may not have run before this module's hooks
    await this.redis.onModuleInit();
    if (!this.config.store.airtable.checkSchema) return;
    let tables: MetaTable[];
    try {
      tables = await this.gateway.metaTables();
    } catch (e) {
      const refused = e instanceof AirtableRequestError && [401, 403, 404].includes(e.status);
      if (!refused && !(e instanceof AirtableUnavailableError)) throw e;
      this.logger.warn(`Airtable schema check skipped: ${e.message}`);
      return;
    }
    const missing = findMissingSchema(this.tables.schema, tables);
    if (missing.length) {
      throw new Error(
        `Airtable base ${this.gateway.baseId} does not match the configured names (defaults or AIRTABLE_SCHEMA_JSON): missing ${missing.join('; ')}`,
      );
    }
  }
}
