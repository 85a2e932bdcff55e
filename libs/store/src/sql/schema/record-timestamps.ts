import { timestamp } from 'drizzle-orm/pg-core';

/** created_at / updated_at as every mutable record has them; updated_at moves on every Drizzle update */
export function recordTimestamps() {
  return {
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  };
}
