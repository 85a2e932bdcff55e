/** Twilio's message status callback (form fields; documentation only). */
export class StatusCallbackDto {
  /**
   * The relayed (outbound) message
   * @example "SM0123456789abcdef0123456789abcdef"
   */
  MessageSid!: string;
  /**
   * queued, sent, delivered, undelivered, failed, read...; only outcomes are recorded
   * @example "undelivered"
   */
  MessageStatus!: string;
  /** @example "30003" */
  ErrorCode?: string;
}
