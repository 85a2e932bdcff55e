import { TelephonyError } from './telephony.gateway';
import { useSimulatedGateway } from '../testing/simulated-gateway';

const PATIENT = '+17205550123';
const OUTREACH = '+13035550188';
const OTHER_OUTREACH = '+13035550199';

describe('TwilioTelephonyGateway against the simulator: Conversations', () => {
  const twilio = useSimulatedGateway({ pageSize: 1 });

  it('creates a conversation with an SMS participant and finds it by address', async () => {
    const conversation = await twilio.gateway.createConversation('Patient outreach');
    expect(conversation).toEqual({ sid: expect.stringMatching(/^CH[0-9a-f]{32}$/), friendlyName: 'Patient outreach' });
    const participant = await twilio.gateway.addSmsParticipant(conversation.sid, PATIENT, OUTREACH);
    expect(participant.sid).toMatch(/^MB[0-9a-f]{32}$/);
    expect(twilio.simulator.conversationParticipants[0]).toMatchObject({ conversationSid: conversation.sid, address: PATIENT, proxyAddress: OUTREACH });

    expect(await twilio.gateway.findConversationByAddress(PATIENT)).toEqual(conversation);
    expect(await twilio.gateway.findConversationByAddress(PATIENT, OUTREACH)).toEqual(conversation);
    expect(await twilio.gateway.findConversationByAddress(PATIENT, OTHER_OUTREACH)).toBeNull();
    expect(await twilio.gateway.findConversationByAddress('+17205550000')).toBeNull();
  });

  it('answers 50416 when the address + proxy address pair is bound elsewhere; the lookup then finds the owner', async () => {
    const existing = await twilio.gateway.createConversation('first');
    await twilio.gateway.addSmsParticipant(existing.sid, PATIENT, OUTREACH);
    const duplicate = await twilio.gateway.createConversation('second');

    const error = await twilio.gateway.addSmsParticipant(duplicate.sid, PATIENT, OUTREACH).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelephonyError);
    expect(error).toMatchObject({ code: 50416, status: 409, retryable: false });
    expect((error as Error).message).toContain(existing.sid);
    expect((error as Error).message).not.toContain(PATIENT);

    expect((await twilio.gateway.findConversationByAddress(PATIENT, OUTREACH))?.sid).toBe(existing.sid);
    await twilio.gateway.deleteConversation(duplicate.sid);
    expect(twilio.simulator.conversations.map((c) => c.sid)).toEqual([existing.sid]);
  });

  it('the same address through another proxy number is a different binding', async () => {
    const a = await twilio.gateway.createConversation('a');
    const b = await twilio.gateway.createConversation('b');
    await twilio.gateway.addSmsParticipant(a.sid, PATIENT, OUTREACH);
    await twilio.gateway.addSmsParticipant(b.sid, PATIENT, OTHER_OUTREACH);
    // page size 1: the second match comes from the next page (meta.next_page_url, absolute on conversations.twilio.com)
    expect((await twilio.gateway.findConversationByAddress(PATIENT, OTHER_OUTREACH))?.sid).toBe(b.sid);
  });

  it('deleting a conversation frees its bindings; deleting it again is fine', async () => {
    const first = await twilio.gateway.createConversation('first');
    await twilio.gateway.addSmsParticipant(first.sid, PATIENT, OUTREACH);
    await twilio.gateway.deleteConversation(first.sid);
    await expect(twilio.gateway.deleteConversation(first.sid)).resolves.toBeUndefined();
    expect(await twilio.gateway.findConversationByAddress(PATIENT)).toBeNull();

    const again = await twilio.gateway.createConversation('again');
    await expect(twilio.gateway.addSmsParticipant(again.sid, PATIENT, OUTREACH)).resolves.toHaveProperty('sid');
  });

  it('closing a conversation frees the binding for a new one; closing it again, or a deleted one, is fine', async () => {
    const first = await twilio.gateway.createConversation('first');
    await twilio.gateway.addSmsParticipant(first.sid, PATIENT, OUTREACH);
    await twilio.gateway.closeConversation(first.sid);
    expect(twilio.simulator.conversations.find((c) => c.sid === first.sid)?.state).toBe('closed');
    // the lookup keeps conversations that are not closed only
    expect(await twilio.gateway.findConversationByAddress(PATIENT, OUTREACH)).toBeNull();

    const second = await twilio.gateway.createConversation('second');
    await expect(twilio.gateway.addSmsParticipant(second.sid, PATIENT, OUTREACH)).resolves.toHaveProperty('sid');
    expect((await twilio.gateway.findConversationByAddress(PATIENT, OUTREACH))?.sid).toBe(second.sid);

    await expect(twilio.gateway.closeConversation(first.sid)).resolves.toBeUndefined();
    await twilio.gateway.deleteConversation(second.sid);
    await expect(twilio.gateway.closeConversation(second.sid)).resolves.toBeUndefined();
  });

  it('each conversation call answers an injected fault as a TelephonyError', async () => {
    const conversation = await twilio.gateway.createConversation('x');
    twilio.simulator.injectFault('conversations.update', { status: 503, code: 20503 });
    await expect(twilio.gateway.closeConversation(conversation.sid)).rejects.toMatchObject({ status: 503, retryable: true });
    twilio.simulator.injectFault('conversations.delete', { status: 500, code: 20500 });
    await expect(twilio.gateway.deleteConversation(conversation.sid)).rejects.toMatchObject({ status: 500, retryable: true });
    twilio.simulator.injectFault('conversations.participantConversations.list', { status: 429, code: 20429 });
    await expect(twilio.gateway.findConversationByAddress(PATIENT, OUTREACH)).rejects.toMatchObject({ code: 20429, retryable: true });
    twilio.simulator.injectFault('conversations.participants.create', { status: 500, code: 20500 });
    await expect(twilio.gateway.addSmsParticipant(conversation.sid, PATIENT, OUTREACH)).rejects.toMatchObject({ status: 500 });
    expect(twilio.simulator.conversations.map((c) => c.state)).toEqual(['active']);
  });
});
