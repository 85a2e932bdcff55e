/** A sitter (SPEC 8). */
export class SitterAnswerDto {
  /** @example true */
  success!: boolean;
  /**
   * With the Airtable driver, the Sitters record id (recXXXXXXXXXXXXXX)
   * @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11"
   */
  sitter_id!: string;
  /** @example "Sam Sitter" */
  name!: string;
  /** @example "+17205550142" */
  phone!: string;
  /** @example "sam@example.com" */
  email!: string | null;
  /**
   * `pending` (no number yet), `active` or `inactive`
   * @example "active"
   */
  status!: 'pending' | 'active' | 'inactive';
  /**
   * The masked number this sitter's clients text; null until attached
   * @example "+13035550123"
   */
  reserved_number!: string | null;
  /**
   * The Number record of the reserved number (pending while being bought)
   * @example "0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11"
   */
  reserved_number_inventory_id!: string | null;
  /** @example "ready" */
  reserved_number_status!: 'pending' | 'ready' | null;
}

/** POST /sitters */
export class SitterUpsertAnswerDto extends SitterAnswerDto {
  /** @example "created" */
  action!: 'created' | 'updated';
}
