/**
 * Twilio's incoming-message webhook (form fields; documentation only: the
 * handler reads the signed form as posted, including MediaUrl0..MediaUrl9).
 */
export class InboundSmsWebhookDto {
  /** @example "SM0123456789abcdef0123456789abcdef" */
  MessageSid!: string;
  /** @example "AC0123456789abcdef0123456789abcdef" */
  AccountSid?: string;
  /**
   * The sender
   * @example "+13035550112"
   */
  From!: string;
  /**
   * Our number that received it: a sitter's reserved number or a pool number
   * @example "+13035550100"
   */
  To!: string;
  /** @example "Hi, is 3pm still OK for Rex?" */
  Body?: string;
  /**
   * Number of media items (MMS); each is MediaUrl{i} / MediaContentType{i}
   * @example "1"
   */
  NumMedia?: string;
  /** @example "https://api.twilio.com/2010-04-01/Accounts/AC.../Messages/MM.../Media/ME..." */
  MediaUrl0?: string;
}
