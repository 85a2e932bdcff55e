import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { StoreHealth } from '../ports';
import { AirtableGateway } from './airtable-gateway';
import { AirtableRateLimiter } from './airtable-rate-limiter';
import { AirtableTables } from './airtable-tables';

// Health probes come every few seconds from every instance; one real request
// per window keeps them from eating the base's 5 requests/s.
const PROVEN_FOR_MS = 15_000;

@Injectable()
export class AirtableStoreHealth extends StoreHealth {
  readonly driver = 'airtable' as const;
  private readonly provenKey: string;

  constructor(
    private readonly gateway: AirtableGateway,
    private readonly tables: AirtableTables,
    private readonly limiter: AirtableRateLimiter,
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    super();
    this.provenKey = `airtable:${config.store.airtable.baseId}:health-proven`;
  }

  async ping(): Promise<void> {
    if (await this.redis.client.get(this.provenKey)) return;
    // paused after a 429: Airtable answered, it only asked us to wait
    if ((await this.limiter.pausedFor()) > 0) return;
    const t = this.tables.sitters;
    await this.gateway.list(t.name, { maxRecords: 1, fields: [t.fields.name] }, { attempts: 1 });
    await this.redis.client.set(this.provenKey, '1', 'PX', PROVEN_FOR_MS);
  }
}
