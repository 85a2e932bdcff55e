/** A client of the business (SPEC 2). */
export class ClientDto {
  /** @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11" */
  client_id!: string;
  /**
   * Shown to sitters as the message prefix; null until Time to Pet syncs it
   * @example "Alice Smith"
   */
  name!: string | null;
  /** @example "+13035550112" */
  phone!: string;
  /** @example "48213" */
  time_to_pet_id!: string | null;
  /**
   * `sync` (from Time to Pet) or `first_contact` (created by the client's first text)
   * @example "sync"
   */
  source!: 'sync' | 'first_contact';
  /** @example "alice@example.com" */
  email!: string | null;
  /**
   * The sitter this client last texted
   * @example null
   */
  sitter_id!: string | null;
  /** @example null */
  last_active_at!: string | null;
  /** @example "2025-02-20T09:00:00.000Z" */
  created_at!: string;
  /** @example "2025-02-20T09:00:00.000Z" */
  updated_at!: string;
}

/** POST /clients/sync answer when the record was written. */
export class ClientSyncResultDto extends ClientDto {
  /** @example true */
  success!: boolean;
  /**
   * `created`, `updated` (same Time to Pet ID), or `merged` (into the client a first text created)
   * @example "merged"
   */
  action!: 'created' | 'updated' | 'merged';
}

/** POST /clients/sync answer when nothing was written (Zapier shows it as filtered, not failed). */
export class ClientSyncSkippedDto {
  /** @example true */
  success!: boolean;
  /** @example "skipped" */
  action!: 'skipped';
  /**
   * `missing_phone` or `invalid_phone`
   * @example "invalid_phone"
   */
  reason!: 'missing_phone' | 'invalid_phone';
  /** @example "48213" */
  time_to_pet_id!: string;
}
