import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { resolveMigrationsFolder } from './migrations-folder';
import { connectionOptionsFromConfig, openSqlConnection, SqlConnection } from './sql-connection';
import { SqlDb, SqlTx } from './sql-query-layer';

/**
 * The sql driver's database: opened and migrated when the module starts,
 * closed at application shutdown (after every module's onModuleDestroy, so
 * workers that are draining can still write). Exported for features that keep
 * their own tables in the same database (outreach).
 */
@Injectable()
export class SqlDatabase implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SqlDatabase.name);
  private connection?: SqlConnection;
  private opening?: Promise<SqlConnection>;

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await this.open();
  }

  async onApplicationShutdown(): Promise<void> {
    const opening = this.opening;
    this.connection = undefined;
    this.opening = undefined;
    if (opening) await (await opening).close();
  }

  /** idempotent: opens and migrates once */
  open(): Promise<SqlConnection> {
    this.opening ??= this.connect().catch((error) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  get db(): SqlDb {
    if (!this.connection) throw new Error('SqlDatabase is not open yet (it opens in onModuleInit)');
    return this.connection.db;
  }

  /** one transaction; use this, not db.transaction (see transactionOnOwnClient) */
  transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
    if (!this.connection) throw new Error('SqlDatabase is not open yet (it opens in onModuleInit)');
    return this.connection.transaction(work);
  }

  /** 'pglite' (embedded) or 'postgres' (DATABASE_URL) */
  get kind(): SqlConnection['kind'] {
    return connectionOptionsFromConfig(this.config).kind;
  }

  private async connect(): Promise<SqlConnection> {
    const options = connectionOptionsFromConfig(this.config);
    const connection = await openSqlConnection(options);
    try {
      const folder = resolveMigrationsFolder();
      await connection.migrate(folder);
      this.logger.log(`sql store ready on ${options.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${options.dataDir ?? 'in memory'})`}`);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    this.connection = connection;
    return connection;
  }
}
