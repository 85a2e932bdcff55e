import { iso8601 } from '../http/dates';
import { ProxyInteractionRecord, ProxyNumberRecord, ProxyParticipantRecord, ProxyServiceRecord, ProxySessionRecord } from '../state/proxy-state';

/** JSON shapes of Proxy v1 (twilio_proxy_v1.json). */
const BASE = 'https://proxy.twilio.com/v1';
const date = (d: Date | null) => (d ? iso8601(d) : null);

export function serviceJson(s: ProxyServiceRecord, accountSid: string) {
  const url = `${BASE}/Services/${s.sid}`;
  return {
    sid: s.sid,
    account_sid: accountSid,
    chat_instance_sid: null,
    unique_name: s.uniqueName,
    default_ttl: s.defaultTtl,
    callback_url: s.callbackUrl,
    geo_match_level: 'country',
    number_selection_behavior: 'prefer-sticky',
    intercept_callback_url: s.interceptCallbackUrl,
    out_of_session_callback_url: s.outOfSessionCallbackUrl,
    date_created: date(s.dateCreated),
    date_updated: date(s.dateCreated),
    url,
    links: { sessions: `${url}/Sessions`, phone_numbers: `${url}/PhoneNumbers`, short_codes: `${url}/ShortCodes` },
  };
}

export function proxyNumberJson(n: ProxyNumberRecord, inUse: number, accountSid: string) {
  return {
    sid: n.sid,
    account_sid: accountSid,
    service_sid: n.serviceSid,
    date_created: date(n.dateCreated),
    date_updated: date(n.dateCreated),
    phone_number: n.phoneNumber,
    friendly_name: null,
    iso_country: 'US',
    capabilities: { sms_outbound: true, voice_inbound: true, sms_inbound: true, voice_outbound: true },
    url: `${BASE}/Services/${n.serviceSid}/PhoneNumbers/${n.sid}`,
    is_reserved: n.isReserved,
    in_use: inUse,
  };
}

export function sessionJson(s: ProxySessionRecord, accountSid: string) {
  const url = `${BASE}/Services/${s.serviceSid}/Sessions/${s.sid}`;
  return {
    sid: s.sid,
    service_sid: s.serviceSid,
    account_sid: accountSid,
    date_started: date(s.dateCreated),
    date_ended: s.status === 'closed' ? date(s.dateUpdated) : null,
    date_last_interaction: date(s.dateLastInteraction),
    date_expiry: date(s.dateExpiry),
    unique_name: s.uniqueName,
    status: s.status,
    closed_reason: s.status === 'closed' ? 'api' : null,
    ttl: s.ttl,
    mode: 'message-and-voice',
    date_created: date(s.dateCreated),
    date_updated: date(s.dateUpdated),
    url,
    links: { interactions: `${url}/Interactions`, participants: `${url}/Participants` },
  };
}

export function participantJson(p: ProxyParticipantRecord, accountSid: string) {
  const url = `${BASE}/Services/${p.serviceSid}/Sessions/${p.sessionSid}/Participants/${p.sid}`;
  return {
    sid: p.sid,
    session_sid: p.sessionSid,
    service_sid: p.serviceSid,
    account_sid: accountSid,
    friendly_name: p.friendlyName,
    identifier: p.identifier,
    proxy_identifier: p.proxyIdentifier,
    proxy_identifier_sid: p.proxyIdentifierSid,
    date_deleted: null,
    date_created: date(p.dateCreated),
    date_updated: date(p.dateCreated),
    url,
    links: { message_interactions: `${url}/MessageInteractions` },
  };
}

export function messageInteractionJson(i: ProxyInteractionRecord, accountSid: string) {
  return {
    sid: i.sid,
    session_sid: i.sessionSid,
    service_sid: i.serviceSid,
    account_sid: accountSid,
    data: JSON.stringify({ body: i.body }),
    type: 'message',
    participant_sid: i.participantSid,
    inbound_participant_sid: i.inboundParticipantSid,
    inbound_resource_sid: i.inboundResourceSid,
    inbound_resource_status: i.inboundResourceSid ? 'received' : null,
    inbound_resource_type: i.inboundResourceSid ? 'Message' : null,
    inbound_resource_url: null,
    outbound_participant_sid: i.participantSid,
    outbound_resource_sid: i.message?.sid ?? null,
    outbound_resource_status: i.message?.status ?? null,
    outbound_resource_type: 'Message',
    outbound_resource_url: i.message ? `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages/${i.message.sid}.json` : null,
    date_created: date(i.dateCreated),
    date_updated: date(i.dateCreated),
    url: `${BASE}/Services/${i.serviceSid}/Sessions/${i.sessionSid}/Participants/${i.participantSid}/MessageInteractions/${i.sid}`,
  };
}
