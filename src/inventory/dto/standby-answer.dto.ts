/** POST /numbers/standby-replenish */
export class StandbyAnswerDto {
  /** @example true */
  success!: boolean;
  /** @example "none" */
  action!: 'purchased' | 'none';
  /**
   * Why nothing was bought: `standby_available` or `pending_exists`
   * @example "standby_available"
   */
  reason!: 'standby_available' | 'pending_exists' | null;
  /** @example 1 */
  standby_ready_count!: number;
  /** @example 0 */
  standby_pending_count!: number;
  /** @example null */
  number_inventory_id?: string;
  /** @example "pending" */
  status?: 'pending';
}
