/**
 * Proxy's intercept callback (form fields of Twilio's Proxy "Webhooks" page;
 * documentation only: the handler reads the signed form as posted).
 */
export class ProxyInterceptCallbackDto {
  /** @example "KI0123456789abcdef0123456789abcdef" */
  interactionSid!: string;
  /** @example "KC0123456789abcdef0123456789abcdef" */
  interactionSessionSid!: string;
  /** @example "KS0123456789abcdef0123456789abcdef" */
  interactionServiceSid?: string;
  /**
   * Message or Voice (compared without regard to case)
   * @example "Message"
   */
  interactionType!: string;
  /**
   * JSON with the message body
   * @example "{\"body\":\"Hi, is 3pm still OK for Rex?\"}"
   */
  interactionData?: string;
  /**
   * The participant who texted; empty for a Message Interaction created through the API
   * @example "KP0123456789abcdef0123456789abcdef"
   */
  inboundParticipantSid?: string;
  /** @example "KP89abcdef0123456789abcdef01234567" */
  outboundParticipantSid?: string;
  /** @example "SM0123456789abcdef0123456789abcdef" */
  inboundResourceSid?: string;
}

/** The auto-create session JSON of Twilio's "Out-of-Session Callback Response Guide". */
export class AutoCreateSessionDto {
  /**
   * Our session id and the message that opened the Proxy session: no phone number
   * @example "0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e.SM0123456789abcdef0123456789abcdef"
   */
  uniqueName!: string;
  /**
   * SESSION_TTL_DAYS in seconds
   * @example 1209600
   */
  ttl!: number;
  /** @example "message-only" */
  mode!: string;
  /**
   * The second participant's real phone (the sitter, when a client texted)
   * @example "+19705550001"
   */
  participantIdentifier!: string;
  /**
   * The number the second participant sees the sender on (the pool number, when a client texted)
   * @example "+17205550142"
   */
  participantProxyIdentifier!: string;
}
