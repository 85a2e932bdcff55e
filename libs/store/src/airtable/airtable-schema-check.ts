import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { AirtableRequestError, AirtableUnavailableError } from './airtable-errors';
import { AirtableGateway, AirtableMetaTable } from './airtable-gateway';
import { describeConflict, missingFromBase, planAirtableSchema } from './airtable-schema-plan';
import { AirtableTables } from './airtable-tables';

/**
 * Start-up check of the base against the configured names (meta API). A
 * token without the schema.bases:read scope answers 403/404: logged, skipped.
 * Airtable being unreachable is not a reason to refuse to start either.
 * A field of another type is logged, not fatal: the operator decides.
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
    let tables: AirtableMetaTable[];
    try {
      tables = await this.gateway.metaTables();
    } catch (e) {
      const refused = e instanceof AirtableRequestError && [401, 403, 404].includes(e.status);
      if (!refused && !(e instanceof AirtableUnavailableError)) throw e;
      this.logger.warn(`Airtable schema check skipped: ${e.message}`);
      return;
    }
    const plan = planAirtableSchema(this.tables.schema, tables);
    const missing = missingFromBase(plan);
    if (missing.length) {
      throw new Error(
        `Airtable base ${this.gateway.baseId} does not match the configured names (defaults or AIRTABLE_SCHEMA_JSON): missing ${missing.join('; ')}. ` +
          '`npm run airtable:setup` shows what to add, and with --apply adds it.',
      );
    }
    const types = plan.conflicts.filter((c) => c.kind === 'type');
    if (types.length) this.logger.warn(`Airtable base ${this.gateway.baseId}: ${types.map(describeConflict).join('; ')}`);
  }
}
