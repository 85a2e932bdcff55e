import type { Config } from 'drizzle-kit';

/**
 * drizzle-kit settings for the sql driver's migrations (see README.md).
 * Run from the project root: npx drizzle-kit generate --config libs/store/src/sql/drizzle.config.ts
 */
export default {
  dialect: 'postgresql',
  schema: './libs/store/src/sql/schema/index.ts',
  out: './libs/store/src/sql/migrations',
} satisfies Config;
