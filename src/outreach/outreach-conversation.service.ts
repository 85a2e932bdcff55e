import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { ConflictError, DependencyUnavailableError, NotFoundError } from '../common/http/app-errors';
import {
  ConversationFilter,
  ConversationPage,
  OpenConversationInput,
  OutreachConversation,
  OutreachConversationStore,
  TwilioOrigin,
} from './outreach-conversations.port';
import { OutreachNotConfiguredError, TwilioRequestFailedError } from './outreach-errors';
import { OutreachTwilioCleanup } from './outreach-twilio-cleanup';

/** Twilio Conversations: this patient address + sender pair is already bound in a conversation that is not closed. */
const BINDING_TAKEN = 50416;

export interface OpenConversationRequest {
  tenantId: string;
  practiceId: string;
  coordinatorSaxId: string;
  patientPhone: string;
  friendlyName: string | null;
  /** a conversation the caller owns: used as it is, never created nor deleted */
  twilioSid: string | null;
  createdBy: string;
}

export interface OpenedConversation {
  action: 'created' | 'existing' | 'reactivated';
  conversation: OutreachConversation;
}

interface BoundConversation {
  sid: string;
  origin: TwilioOrigin;
}

/**
 * Outreach conversations (SPEC section 7, seed 004): one active conversation
 * per patient phone per practice, and never an orphaned or stolen Twilio
 * conversation. Twilio first (create and bind the patient, or reuse the
 * conversation 50416 points at), then the practice-scoped decision in one
 * locked transaction, then the clean-up of what this request created and
 * the database did not keep.
 */
@Injectable()
export class OutreachConversationService {
  constructor(
    private readonly store: OutreachConversationStore,
    private readonly telephony: TelephonyGateway,
    private readonly cleanup: OutreachTwilioCleanup,
    private readonly config: AppConfig,
  ) {}

  async open(request: OpenConversationRequest): Promise<OpenedConversation> {
    this.assertConfigured();
    return this.openOnce(request, true);
  }

  private async openOnce(request: OpenConversationRequest, mayRetry: boolean): Promise<OpenedConversation> {
    const bound: BoundConversation = request.twilioSid ? { sid: request.twilioSid, origin: 'provided' } : await this.bindPatient(request);
    const input: OpenConversationInput = { ...request, twilioSid: bound.sid, twilioOrigin: bound.origin };
    let decision;
    try {
      decision = await this.store.open(input);
    } catch (error) {
      if (bound.origin === 'created') await this.cleanup.release(bound.sid, 'delete', 'the database step failed');
      throw error;
    }
    // only a conversation this request created, and that no row uses; never a reused or provided one
    if (decision.releaseCreated) await this.cleanup.release(bound.sid, 'delete', `created but not kept (${decision.outcome})`);

    switch (decision.outcome) {
      case 'created':
      case 'existing':
      case 'reactivated':
        return { action: decision.outcome, conversation: decision.conversation };
      case 'conflict':
        throw new ConflictError(
          `Coordinator ${decision.holder.coordinatorSaxId} already has an active conversation with this patient in this practice`,
          { coordinator_sax_id: decision.holder.coordinatorSaxId, conversation_id: decision.holder.id },
          'conversation_held',
        );
      case 'retired_twilio_conversation':
        // a closed row's Twilio conversation still binds the patient (its close failed or is still queued): finish it, then bind afresh
        if (!mayRetry) throw new DependencyUnavailableError("The patient's previous Twilio conversation is still closing; retry shortly");
        await this.telephony.closeConversation(bound.sid).catch((error: unknown) => {
          throw new TwilioRequestFailedError("Closing the patient's previous Twilio conversation failed", error);
        });
        return this.openOnce(request, false);
    }
  }

  async get(id: string): Promise<OutreachConversation> {
    this.assertConfigured();
    const found = await this.store.findById(id);
    if (!found) throw new NotFoundError('outreach conversation', id);
    return found;
  }

  async list(filter: ConversationFilter, limit: number, cursor?: string): Promise<ConversationPage> {
    this.assertConfigured();
    return this.store.list(filter, limit, cursor);
  }

  /** active → archived (Twilio untouched: a reactivation reuses it); archived again is fine; closed is final (409) */
  async archive(id: string): Promise<OutreachConversation> {
    this.assertConfigured();
    const result = await this.store.archive(id);
    if (!result) throw new NotFoundError('outreach conversation', id);
    if (result.outcome === 'closed') throw new ConflictError('A closed outreach conversation cannot be archived', { conversation_id: id, status: 'closed' }, 'conversation_closed');
    return result.conversation;
  }

  /** → closed; its Twilio conversation is closed too (freeing the patient's binding) unless another row still uses it */
  async close(id: string): Promise<OutreachConversation> {
    this.assertConfigured();
    const result = await this.store.close(id);
    if (!result) throw new NotFoundError('outreach conversation', id);
    if (result.closeTwilio) await this.cleanup.release(result.conversation.twilioSid, 'close', 'outreach conversation closed');
    return result.conversation;
  }

  /**
   * Creates the conversation and binds the patient through the practice's
   * sender. On 50416 the pair is bound elsewhere already: find that
   * conversation (ours: same sender, not closed), delete the one just
   * created, and use the existing one.
   */
  private async bindPatient(request: OpenConversationRequest): Promise<BoundConversation> {
    const sender = this.senderFor(request.practiceId);
    const created = await this.telephony.createConversation(request.friendlyName ?? request.patientPhone).catch((error: unknown) => {
      throw new TwilioRequestFailedError('Creating the Twilio conversation failed', error);
    });
    try {
      await this.telephony.addSmsParticipant(created.sid, request.patientPhone, sender);
      return { sid: created.sid, origin: 'created' };
    } catch (error) {
      if (!(error instanceof TelephonyError && error.code === BINDING_TAKEN)) {
        await this.cleanup.release(created.sid, 'delete', 'adding the patient failed');
        throw new TwilioRequestFailedError('Adding the patient to the Twilio conversation failed', error);
      }
    }
    const existing = await this.telephony.findConversationByAddress(request.patientPhone, sender).catch(async (error: unknown) => {
      await this.cleanup.release(created.sid, 'delete', 'looking up the bound conversation failed');
      throw new TwilioRequestFailedError('Looking up the conversation the patient is bound in failed', error);
    });
    await this.cleanup.release(created.sid, 'delete', 'the patient is bound in another conversation (50416)');
    // freed between the two calls (closed or deleted meanwhile): the caller's retry binds afresh
    if (!existing) throw new DependencyUnavailableError('The patient was bound in a Twilio conversation that has just ended; retry shortly', { twilio_code: BINDING_TAKEN });
    return { sid: existing.sid, origin: 'reused' };
  }

  private senderFor(practiceId: string): string {
    const { proxyNumbers, proxyNumber } = this.config.outreach;
    const sender = proxyNumbers[practiceId] ?? proxyNumber;
    if (!sender) throw new OutreachNotConfiguredError(practiceId);
    return sender;
  }

  private assertConfigured(): void {
    const { proxyNumbers, proxyNumber } = this.config.outreach;
    if (!proxyNumber && Object.keys(proxyNumbers).length === 0) throw new OutreachNotConfiguredError();
  }
}
