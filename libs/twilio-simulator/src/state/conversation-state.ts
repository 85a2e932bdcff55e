import { TwilioErrors } from '../http/twilio-api-error';
import { newSid } from './sids';

export type ConversationStatus = 'active' | 'inactive' | 'closed';
const STATES: readonly string[] = ['active', 'inactive', 'closed'] satisfies ConversationStatus[];

export interface ConversationRecord {
  sid: string;
  friendlyName: string | null;
  uniqueName: string | null;
  chatServiceSid: string;
  messagingServiceSid: string;
  state: ConversationStatus;
  dateCreated: Date;
  dateUpdated: Date;
}
export interface ConversationParticipantRecord {
  sid: string;
  conversationSid: string;
  identity: string | null;
  /** SMS binding: the participant's phone and the Twilio number it talks through */
  address: string | null;
  proxyAddress: string | null;
  dateCreated: Date;
}

/** Conversations and their participants, with Twilio's one-binding-per-pair rule. */
export class ConversationState {
  readonly conversations: ConversationRecord[] = [];
  readonly participants: ConversationParticipantRecord[] = [];
  // one default chat and messaging service per account, as Twilio assigns them
  private readonly chatServiceSid = newSid('IS');
  private readonly messagingServiceSid = newSid('MG');

  create(input: { friendlyName?: string; uniqueName?: string }): ConversationRecord {
    if (input.uniqueName && this.conversations.some((c) => c.uniqueName === input.uniqueName)) throw TwilioErrors.uniqueNameTaken();
    const now = new Date();
    const conversation: ConversationRecord = {
      sid: newSid('CH'),
      friendlyName: input.friendlyName ?? null,
      uniqueName: input.uniqueName ?? null,
      chatServiceSid: this.chatServiceSid,
      messagingServiceSid: this.messagingServiceSid,
      state: 'active',
      dateCreated: now,
      dateUpdated: now,
    };
    this.conversations.push(conversation);
    return conversation;
  }

  /** Twilio accepts the SID or the unique name in the path. */
  get(sidOrUniqueName: string, path: string): ConversationRecord {
    const found = this.conversations.find((c) => c.sid === sidOrUniqueName || c.uniqueName === sidOrUniqueName);
    if (!found) throw TwilioErrors.notFound(path);
    return found;
  }

  /** Twilio's update: closed is final (50377); closing frees the conversation's SMS bindings. */
  update(conversation: ConversationRecord, input: { state?: string; friendlyName?: string }): ConversationRecord {
    if (conversation.state === 'closed') throw TwilioErrors.conversationClosed();
    if (input.state !== undefined && !STATES.includes(input.state)) throw TwilioErrors.invalidState(input.state);
    if (input.state !== undefined) conversation.state = input.state as ConversationStatus;
    if (input.friendlyName !== undefined) conversation.friendlyName = input.friendlyName;
    conversation.dateUpdated = new Date();
    return conversation;
  }

  remove(conversation: ConversationRecord): void {
    this.conversations.splice(this.conversations.indexOf(conversation), 1);
    const kept = this.participants.filter((p) => p.conversationSid !== conversation.sid);
    this.participants.splice(0, this.participants.length, ...kept);
  }

  addParticipant(conversation: ConversationRecord, input: { identity?: string; address?: string; proxyAddress?: string }): ConversationParticipantRecord {
    if (!input.identity && !input.address) throw TwilioErrors.missingParameter('Identity or MessagingBinding.Address');
    if (input.address && !input.proxyAddress) throw TwilioErrors.missingParameter('MessagingBinding.ProxyAddress');
    if (input.identity && this.participants.some((p) => p.conversationSid === conversation.sid && p.identity === input.identity)) throw TwilioErrors.participantExists();
    if (input.address) {
      // one binding per address + proxy address among conversations that are not closed
      const bound = this.participants.find((p) => p.address === input.address && p.proxyAddress === input.proxyAddress && this.stateOf(p.conversationSid) !== 'closed');
      if (bound) throw TwilioErrors.bindingExists(bound.conversationSid);
    }
    const participant: ConversationParticipantRecord = {
      sid: newSid('MB'),
      conversationSid: conversation.sid,
      identity: input.identity ?? null,
      address: input.address ?? null,
      proxyAddress: input.proxyAddress ?? null,
      dateCreated: new Date(),
    };
    this.participants.push(participant);
    conversation.dateUpdated = participant.dateCreated;
    return participant;
  }

  /** The conversations a participant (by phone address or identity) belongs to. */
  participantConversations(filter: { address?: string; identity?: string }): Array<{ participant: ConversationParticipantRecord; conversation: ConversationRecord }> {
    if (!filter.address && !filter.identity) return [];
    return this.participants
      .filter((p) => (filter.address === undefined || p.address === filter.address) && (filter.identity === undefined || p.identity === filter.identity))
      .map((participant) => ({ participant, conversation: this.conversations.find((c) => c.sid === participant.conversationSid)! }));
  }

  private stateOf(conversationSid: string): ConversationStatus | undefined {
    return this.conversations.find((c) => c.sid === conversationSid)?.state;
  }

  reset(): void {
    this.conversations.length = 0;
    this.participants.length = 0;
  }
}
