import { loadConfig } from '@maskline/config';
import { TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { strictFake } from '../../test/support/strict-fake';
import { OutreachConversationService, OpenConversationRequest } from './outreach-conversation.service';
import { OpenDecision, OutreachConversation, OutreachConversationStore } from './outreach-conversations.port';
import { TwilioRequestFailedError } from './outreach-errors';
import { OutreachTwilioCleanup } from './outreach-twilio-cleanup';

const PRACTICE = '0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e';
const SENDER = '+15005550006';
const NEW_SID = 'CH' + 'a'.repeat(32);
const BOUND_SID = 'CH' + 'b'.repeat(32);

const request: OpenConversationRequest = {
  tenantId: '7d0f3a52-2c4b-4f7e-9a61-0e8b5c3d2f10',
  practiceId: PRACTICE,
  coordinatorSaxId: '42',
  patientPhone: '+17205550123',
  friendlyName: null,
  twilioSid: null,
  createdBy: '42',
};

function row(overrides: Partial<OutreachConversation> = {}): OutreachConversation {
  const at = new Date('2026-03-01T00:00:00Z');
  return { id: 'row-1', ...request, twilioSid: NEW_SID, status: 'active', createdAt: at, updatedAt: at, archivedAt: null, closedAt: null, ...overrides };
}

const bindingTaken = () => new TelephonyError('A binding for this participant and proxy address already exists', 50416, 409);

function setup(opts: { telephony?: Partial<TelephonyGateway>; decisions?: OpenDecision[]; env?: Record<string, string> } = {}) {
  const decisions = [...(opts.decisions ?? [])];
  const store = strictFake<OutreachConversationStore>('OutreachConversationStore', { open: async () => decisions.shift()! });
  const telephony = strictFake<TelephonyGateway>('TelephonyGateway', opts.telephony);
  const cleanup = strictFake<OutreachTwilioCleanup>('OutreachTwilioCleanup', { release: async () => undefined });
  const service = new OutreachConversationService(store, telephony, cleanup, loadConfig({ NODE_ENV: 'test', ...opts.env }));
  return { service, store, telephony, cleanup };
}

describe('OutreachConversationService.open', () => {
  it('creates the conversation, binds the patient through the practice sender, keeps it', async () => {
    const { service, store, telephony, cleanup } = setup({
      telephony: { createConversation: async () => ({ sid: NEW_SID, friendlyName: request.patientPhone }), addSmsParticipant: async () => ({ sid: 'MB1' }) },
      decisions: [{ outcome: 'created', conversation: row(), releaseCreated: false }],
    });
    await expect(service.open(request)).resolves.toMatchObject({ action: 'created' });
    expect(telephony.createConversation).toHaveBeenCalledWith(request.patientPhone);
    expect(telephony.addSmsParticipant).toHaveBeenCalledWith(NEW_SID, request.patientPhone, SENDER);
    expect(store.open).toHaveBeenCalledWith(expect.objectContaining({ twilioSid: NEW_SID, twilioOrigin: 'created' }));
    expect(cleanup.release).not.toHaveBeenCalled();
  });

  it('a provided twilio_sid: no Twilio call, and never deleted, even on a conflict', async () => {
    const { service, store, cleanup } = setup({ decisions: [{ outcome: 'conflict', holder: row({ coordinatorSaxId: '1' }), releaseCreated: false }] });
    await expect(service.open({ ...request, twilioSid: BOUND_SID })).rejects.toMatchObject({ status: 409, details: { coordinator_sax_id: '1' } });
    expect(store.open).toHaveBeenCalledWith(expect.objectContaining({ twilioSid: BOUND_SID, twilioOrigin: 'provided' }));
    expect(cleanup.release).not.toHaveBeenCalled();
  });

  it('50416: looks up the bound conversation through our sender, deletes the new one, reuses the bound one', async () => {
    const { service, store, telephony, cleanup } = setup({
      telephony: {
        createConversation: async () => ({ sid: NEW_SID, friendlyName: null }),
        addSmsParticipant: async () => Promise.reject(bindingTaken()),
        findConversationByAddress: async () => ({ sid: BOUND_SID, friendlyName: null }),
      },
      decisions: [{ outcome: 'existing', conversation: row({ twilioSid: BOUND_SID }), releaseCreated: false }],
    });
    await expect(service.open(request)).resolves.toMatchObject({ action: 'existing' });
    expect(telephony.findConversationByAddress).toHaveBeenCalledWith(request.patientPhone, SENDER);
    expect(cleanup.release).toHaveBeenCalledWith(NEW_SID, 'delete', expect.stringContaining('50416'));
    expect(store.open).toHaveBeenCalledWith(expect.objectContaining({ twilioSid: BOUND_SID, twilioOrigin: 'reused' }));
  });

  it('the database kept another row: the conversation this request created is deleted after the decision', async () => {
    const { service, cleanup } = setup({
      telephony: { createConversation: async () => ({ sid: NEW_SID, friendlyName: null }), addSmsParticipant: async () => ({ sid: 'MB1' }) },
      decisions: [{ outcome: 'conflict', holder: row({ twilioSid: BOUND_SID, coordinatorSaxId: '9' }), releaseCreated: true }],
    });
    await expect(service.open(request)).rejects.toMatchObject({ status: 409, code: 'conversation_held', details: { coordinator_sax_id: '9' } });
    expect(cleanup.release).toHaveBeenCalledWith(NEW_SID, 'delete', expect.stringContaining('conflict'));
  });

  it('Twilio down at create: 503, no database step', async () => {
    const { service, store } = setup({ telephony: { createConversation: async () => Promise.reject(new TelephonyError('down', 20503, 503)) } });
    const error = await service.open(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioRequestFailedError);
    expect(error).toMatchObject({ status: 503, code: 'twilio_unavailable', details: { twilio_code: 20503 } });
    expect(store.open).not.toHaveBeenCalled();
  });

  it('a refused participant (not 50416): the created conversation is deleted, 502, no database step', async () => {
    const { service, store, cleanup } = setup({
      telephony: { createConversation: async () => ({ sid: NEW_SID, friendlyName: null }), addSmsParticipant: async () => Promise.reject(new TelephonyError('invalid', 50407, 400)) },
    });
    await expect(service.open(request)).rejects.toMatchObject({ status: 502, code: 'twilio_error' });
    expect(cleanup.release).toHaveBeenCalledWith(NEW_SID, 'delete', expect.any(String));
    expect(store.open).not.toHaveBeenCalled();
  });

  it('the database step fails: the created conversation is deleted and the error goes out', async () => {
    const { service, store, cleanup } = setup({
      telephony: { createConversation: async () => ({ sid: NEW_SID, friendlyName: null }), addSmsParticipant: async () => ({ sid: 'MB1' }) },
    });
    store.open.mockRejectedValueOnce(new Error('connection lost'));
    await expect(service.open(request)).rejects.toThrow('connection lost');
    expect(cleanup.release).toHaveBeenCalledWith(NEW_SID, 'delete', expect.stringContaining('database'));
  });

  it('a reused conversation only closed rows use: closed in Twilio, then bound afresh once', async () => {
    let bound = false;
    const { service, telephony } = setup({
      telephony: {
        createConversation: async () => ({ sid: NEW_SID, friendlyName: null }),
        addSmsParticipant: async () => (bound ? { sid: 'MB2' } : Promise.reject(bindingTaken())),
        findConversationByAddress: async () => ({ sid: BOUND_SID, friendlyName: null }),
        closeConversation: async () => {
          bound = true;
        },
      },
      decisions: [
        { outcome: 'retired_twilio_conversation', releaseCreated: false },
        { outcome: 'created', conversation: row(), releaseCreated: false },
      ],
    });
    await expect(service.open(request)).resolves.toMatchObject({ action: 'created' });
    expect(telephony.closeConversation).toHaveBeenCalledWith(BOUND_SID);
  });

  it('senders: OUTREACH_PROXY_NUMBERS first; a real account without any sender answers 503 naming the variable', async () => {
    const own = setup({
      env: { OUTREACH_PROXY_NUMBERS: JSON.stringify({ [PRACTICE]: '+13035550177' }) },
      telephony: { createConversation: async () => ({ sid: NEW_SID, friendlyName: null }), addSmsParticipant: async () => ({ sid: 'MB1' }) },
      decisions: [{ outcome: 'created', conversation: row(), releaseCreated: false }],
    });
    await own.service.open(request);
    expect(own.telephony.addSmsParticipant).toHaveBeenCalledWith(NEW_SID, request.patientPhone, '+13035550177');

    const real = setup({ env: { TWILIO_ACCOUNT_SID: 'AC' + '1'.repeat(32), TWILIO_AUTH_TOKEN: 'token-123456' } });
    await expect(real.service.open(request)).rejects.toMatchObject({ status: 503, code: 'outreach_not_configured', details: { variable: 'OUTREACH_PROXY_NUMBER' } });
    await expect(real.service.get('x')).rejects.toMatchObject({ status: 503 });
  });
});
