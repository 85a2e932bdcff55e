import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { resolveAirtableSchema, ResolvedSchema } from './airtable-schema';

/** The base's table and field names after AIRTABLE_SCHEMA_JSON overrides, resolved once at start-up. */
@Injectable()
export class AirtableTables {
  readonly schema: ResolvedSchema;

  constructor(config: AppConfig) {
    this.schema = resolveAirtableSchema(config.store.airtable.schema);
  }

  get sitters() {
    return this.schema.sitters;
  }
  get clients() {
    return this.schema.clients;
  }
  get numbers() {
    return this.schema.numbers;
  }
  get sessions() {
    return this.schema.sessions;
  }
  get messages() {
    return this.schema.messages;
  }
  get audit() {
    return this.schema.audit;
  }
}
