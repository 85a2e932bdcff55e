/**
 * What sessions need from inventory when no pool number is free for a sitter
 * (SPEC 3.4): one more pool number, bought now. The inventory feature binds
 * it; the request is deduplicated there against pending pool purchases, and
 * the 72-hour cooldown does not apply to it.
 */
export abstract class PoolSupply {
  abstract requestExhaustionPurchase(context: { sitterId: string }): Promise<void>;
}
