/** The one error shape every route answers with. */
export class ErrorBodyDto {
  /** always false */
  success!: false;
  /**
   * what went wrong, readable by a person
   * @example "quantity must not be greater than 50"
   */
  error!: string;
  /**
   * machine-readable code plus specifics; validation failures list each bad field
   * @example {"code":"validation_failed","fields":{"quantity":["quantity must not be greater than 50"]}}
   */
  details!: Record<string, unknown>;
}
