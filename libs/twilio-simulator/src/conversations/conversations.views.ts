import { iso8601 } from '../http/dates';
import { ConversationParticipantRecord, ConversationRecord } from '../state/conversation-state';

/** JSON shapes of Conversations v1 (twilio_conversations_v1.json). */
const BASE = 'https://conversations.twilio.com/v1';

function binding(p: ConversationParticipantRecord) {
  return p.address ? { type: 'sms', address: p.address, proxy_address: p.proxyAddress } : null;
}

export function conversationJson(c: ConversationRecord, accountSid: string) {
  const url = `${BASE}/Conversations/${c.sid}`;
  return {
    account_sid: accountSid,
    chat_service_sid: c.chatServiceSid,
    messaging_service_sid: c.messagingServiceSid,
    sid: c.sid,
    friendly_name: c.friendlyName,
    unique_name: c.uniqueName,
    attributes: '{}',
    state: c.state,
    date_created: iso8601(c.dateCreated),
    date_updated: iso8601(c.dateUpdated),
    timers: {},
    url,
    links: { participants: `${url}/Participants`, messages: `${url}/Messages`, webhooks: `${url}/Webhooks` },
    bindings: null,
  };
}

export function participantJson(p: ConversationParticipantRecord, accountSid: string) {
  return {
    account_sid: accountSid,
    conversation_sid: p.conversationSid,
    sid: p.sid,
    identity: p.identity,
    attributes: '{}',
    messaging_binding: binding(p),
    role_sid: null,
    date_created: iso8601(p.dateCreated),
    date_updated: iso8601(p.dateCreated),
    url: `${BASE}/Conversations/${p.conversationSid}/Participants/${p.sid}`,
    last_read_message_index: null,
    last_read_timestamp: null,
  };
}

export function participantConversationJson(p: ConversationParticipantRecord, c: ConversationRecord, accountSid: string) {
  return {
    account_sid: accountSid,
    chat_service_sid: c.chatServiceSid,
    participant_sid: p.sid,
    participant_user_sid: null,
    participant_identity: p.identity,
    participant_messaging_binding: binding(p),
    conversation_sid: c.sid,
    conversation_unique_name: c.uniqueName,
    conversation_friendly_name: c.friendlyName,
    conversation_attributes: '{}',
    conversation_date_created: iso8601(c.dateCreated),
    conversation_date_updated: iso8601(c.dateUpdated),
    conversation_created_by: 'system',
    conversation_state: c.state,
    conversation_timers: {},
    links: { participant: `${BASE}/Conversations/${c.sid}/Participants/${p.sid}`, conversation: `${BASE}/Conversations/${c.sid}` },
  };
}
