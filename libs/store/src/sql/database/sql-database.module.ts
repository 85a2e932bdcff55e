import { Module } from '@nestjs/common';
import { SqlDatabase } from './sql-database';

/**
 * The SQL connection on its own. SqlStoreModule (STORE_DRIVER=sql) imports
 * it for the record ports; features that always keep their tables in SQL
 * (outreach) import it directly, so with STORE_DRIVER=airtable the database
 * (PGlite in DATA_DIR, or DATABASE_URL) is still opened and migrated. A static
 * module is instantiated once per application, so both importers share one
 * SqlDatabase and one connection (PGlite allows only one).
 */
@Module({ providers: [SqlDatabase], exports: [SqlDatabase] })
export class SqlDatabaseModule {}
