import { pageV1 } from '../http/paging';
import { TwilioRouter } from '../http/twilio-router';
import { ConversationState } from '../state/conversation-state';
import { conversationJson, participantConversationJson, participantJson } from './conversations.views';

/** Conversations v1: conversations (create, fetch, update state, delete), SMS participants, and the participant-conversations lookup. */
export function registerConversationRoutes(router: TwilioRouter, state: ConversationState, accountSid: string): void {
  router.post('/v1/Conversations', 'conversations.create', ({ form }) => {
    const created = state.create({ friendlyName: form.get('FriendlyName') ?? undefined, uniqueName: form.get('UniqueName') ?? undefined });
    return { status: 201, body: conversationJson(created, accountSid) };
  });

  router.get('/v1/Conversations/:Sid', 'conversations.fetch', (call) => ({
    status: 200,
    body: conversationJson(state.get(call.params.Sid, call.twilioPath), accountSid),
  }));

  router.post('/v1/Conversations/:Sid', 'conversations.update', (call) => {
    const conversation = state.get(call.params.Sid, call.twilioPath);
    const updated = state.update(conversation, { state: call.form.get('State') ?? undefined, friendlyName: call.form.get('FriendlyName') ?? undefined });
    return { status: 200, body: conversationJson(updated, accountSid) };
  });

  router.delete('/v1/Conversations/:Sid', 'conversations.delete', (call) => {
    state.remove(state.get(call.params.Sid, call.twilioPath));
    return { status: 204 };
  });

  router.post('/v1/Conversations/:Sid/Participants', 'conversations.participants.create', (call) => {
    const conversation = state.get(call.params.Sid, call.twilioPath);
    const participant = state.addParticipant(conversation, {
      identity: call.form.get('Identity') ?? undefined,
      address: call.form.get('MessagingBinding.Address') ?? undefined,
      proxyAddress: call.form.get('MessagingBinding.ProxyAddress') ?? undefined,
    });
    return { status: 201, body: participantJson(participant, accountSid) };
  });

  router.get('/v1/ParticipantConversations', 'conversations.participantConversations.list', (call) => {
    const found = state.participantConversations({ address: call.query.get('Address') ?? undefined, identity: call.query.get('Identity') ?? undefined });
    const json = found.map(({ participant, conversation }) => participantConversationJson(participant, conversation, accountSid));
    return { status: 200, body: pageV1(json, call, 'conversations', 'conversations') };
  });
}
