import { ValidationFailedError } from '../../common/http/app-errors';
import { stripControl } from '../../common/http/text-policy';

/** The fields of Proxy's intercept callback (Twilio's Proxy "Webhooks" page) the relay uses. */
export interface ProxyInteraction {
  interactionSid: string;
  sessionSid: string;
  /** Twilio sends `Message` or `Voice`; compared without regard to case */
  isMessage: boolean;
  /** the participant who texted; empty for a one-sided interaction (a Message Interaction created through the API) */
  inboundParticipantSid: string | null;
  outboundParticipantSid: string | null;
  /** the inbound message's sid, when a participant texted */
  inboundMessageSid: string | null;
  body: string;
}

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
const INTERACTION_SID = SID('KI');
const SESSION_SID = SID('KC');
const PARTICIPANT_SID = SID('KP');
const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

const text = (params: Record<string, unknown>, name: string) => (typeof params[name] === 'string' ? (params[name] as string) : '');

/** `interactionData` is a JSON string such as {"body": "hello"}; anything else carries no body. */
function bodyOf(data: string): string {
  try {
    const parsed = JSON.parse(data) as { body?: unknown } | null;
    return typeof parsed?.body === 'string' ? stripControl(parsed.body, true) : '';
  } catch {
    return '';
  }
}

/** Reads the form Proxy posted (already signature-checked); sids that are not Twilio's shape are refused, naming the field. */
export function parseProxyInteraction(params: Record<string, unknown>): ProxyInteraction {
  const problems: { field: string; messages: string[] }[] = [];
  const require = (name: string, shape: RegExp, what: string) => {
    const value = text(params, name);
    if (!shape.test(value)) problems.push({ field: name, messages: [`${name} must be ${what}`] });
    return value;
  };
  const optional = (name: string, shape: RegExp, what: string) => {
    const value = text(params, name);
    if (value && !shape.test(value)) problems.push({ field: name, messages: [`${name} must be ${what} or empty`] });
    return value || null;
  };
  const interactionSid = require('interactionSid', INTERACTION_SID, 'a Proxy interaction SID (KI + 32 hex)');
  const sessionSid = require('interactionSessionSid', SESSION_SID, 'a Proxy session SID (KC + 32 hex)');
  const inboundParticipantSid = optional('inboundParticipantSid', PARTICIPANT_SID, 'a Proxy participant SID (KP + 32 hex)');
  const outboundParticipantSid = optional('outboundParticipantSid', PARTICIPANT_SID, 'a Proxy participant SID (KP + 32 hex)');
  const inboundResourceSid = text(params, 'inboundResourceSid');
  if (problems.length) throw new ValidationFailedError(problems);
  return {
    interactionSid,
    sessionSid,
    isMessage: text(params, 'interactionType').toLowerCase() === 'message',
    inboundParticipantSid,
    outboundParticipantSid,
    inboundMessageSid: MESSAGE_SID.test(inboundResourceSid) ? inboundResourceSid : null,
    body: bodyOf(text(params, 'interactionData')),
  };
}
