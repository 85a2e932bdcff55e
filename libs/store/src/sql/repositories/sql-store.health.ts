import { Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { StoreHealth } from '../../ports';
import { SqlDatabase } from '../database/sql-database';

@Injectable()
export class SqlStoreHealth extends StoreHealth {
  readonly driver = 'sql' as const;

  constructor(private readonly database: SqlDatabase) {
    super();
  }

  async ping(): Promise<void> {
    await this.database.db.execute(sql`select 1`);
  }
}
