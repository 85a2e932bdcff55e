import { iso8601 } from '../http/dates';
import { MessageLog } from '../state/message-log';
import { ProxyInteractionRecord, ProxyNumberRecord, ProxyParticipantRecord, ProxyServiceRecord, ProxySessionRecord, ProxyState } from '../state/proxy-state';
import type { InboundSmsRecord } from '../webhooks/inbound-sms';
import { SignedWebhookClient, WebhookAnswer } from '../webhooks/signed-webhook-client';

/** a step that made no request (no callback URL configured) */
const NO_CALLBACK: WebhookAnswer = { status: 200, body: '', contentType: '' };

/** What the out-of-session callback may answer (Twilio's "Out-of-Session Callback Response Guide"). */
interface AutoCreateSession {
  uniqueName?: string;
  ttl?: number;
  mode?: string;
  participantIdentifier?: string;
  participantProxyIdentifier?: string;
}

/** The outcome of a text to a Proxy number, kept for tests and `/_sim/state`. */
export interface ProxyInboundOutcome {
  messageSid: string;
  /** forwarded/blocked: went through a session; auto_created: the out-of-session answer opened one; twiml/ignored: out of session */
  outcome: 'forwarded' | 'blocked' | 'auto_created_then_forwarded' | 'auto_created_then_blocked' | 'twiml_reply' | 'ignored' | 'auto_create_refused';
  sessionSid: string | null;
  detail?: string;
}

/**
 * Proxy's handling of a text to a number in its pool, as Twilio documents it:
 * inside an open session, the intercept callback fires (a 403 blocks the
 * interaction, anything else, a timeout included, lets it through) and the
 * message goes to the other participant from that participant's proxy
 * number; outside one, the out-of-session callback fires, and its answer is
 * either TwiML (a `<Message>` is sent back to the sender) or the auto-create
 * session JSON (a session with the sender on the number it texted and the
 * named second participant), after which the text proceeds as inside it.
 */
export class ProxyFlow {
  readonly outcomes: ProxyInboundOutcome[] = [];

  constructor(
    private readonly proxy: ProxyState,
    private readonly messageLog: MessageLog,
    private readonly webhooks: SignedWebhookClient,
    private readonly accountSid: string,
  ) {}

  async inbound(record: InboundSmsRecord, number: ProxyNumberRecord): Promise<WebhookAnswer> {
    const service = this.proxy.service(number.serviceSid, '');
    const sender = this.proxy.activeParticipant(service.sid, record.from, record.to);
    if (sender) {
      const { answer, blocked } = await this.throughSession(service, sender, record);
      this.outcomes.push({ messageSid: record.messageSid, outcome: blocked ? 'blocked' : 'forwarded', sessionSid: sender.sessionSid });
      return answer;
    }
    return this.outOfSession(service, record);
  }

  /** A Message Interaction created through the API: intercepted like any interaction, then sent to its participant. */
  async apiInteraction(interaction: ProxyInteractionRecord): Promise<void> {
    const service = this.proxy.service(interaction.serviceSid, '');
    if (service.interceptCallbackUrl && (await this.intercept(service, interaction)).status === 403) {
      interaction.status = 'blocked';
      return;
    }
    this.proxy.forward(interaction);
  }

  private async throughSession(service: ProxyServiceRecord, sender: ProxyParticipantRecord, record: InboundSmsRecord): Promise<{ answer: WebhookAnswer; blocked: boolean }> {
    const session = this.proxy.sessions.find((s) => s.sid === sender.sessionSid)!;
    const receiver = this.proxy.otherParticipant(sender);
    if (!receiver) return { answer: NO_CALLBACK, blocked: false };
    const interaction = this.proxy.openInteraction(session, receiver, { body: record.body, mediaUrls: record.mediaUrls, inbound: { participantSid: sender.sid, messageSid: record.messageSid } });
    const answer = service.interceptCallbackUrl ? await this.intercept(service, interaction) : NO_CALLBACK;
    if (answer.status === 403) {
      interaction.status = 'blocked';
      return { answer, blocked: true };
    }
    this.proxy.forward(interaction);
    return { answer, blocked: false };
  }

  /** Twilio's intercept callback parameters (Proxy "Webhooks" page). A failed request lets the interaction continue. */
  private async intercept(service: ProxyServiceRecord, interaction: ProxyInteractionRecord): Promise<WebhookAnswer> {
    const now = iso8601(new Date());
    const params: Record<string, string> = {
      interactionSid: interaction.sid,
      interactionSessionSid: interaction.sessionSid,
      interactionServiceSid: interaction.serviceSid,
      interactionAccountSid: this.accountSid,
      interactionType: 'Message',
      interactionData: JSON.stringify({ body: interaction.body }),
      interactionDateCreated: iso8601(interaction.dateCreated),
      interactionDateUpdated: now,
      inboundParticipantSid: interaction.inboundParticipantSid ?? '',
      inboundResourceSid: interaction.inboundResourceSid ?? '',
      inboundResourceStatus: interaction.inboundResourceSid ? 'received' : '',
      inboundResourceType: interaction.inboundResourceSid ? 'Message' : '',
      inboundResourceUrl: interaction.inboundResourceSid ? `https://api.twilio.com/2010-04-01/Accounts/${this.accountSid}/Messages/${interaction.inboundResourceSid}.json` : '',
      outboundParticipantSid: interaction.participantSid,
      outboundResourceSid: '',
      outboundResourceStatus: '',
      outboundResourceType: 'Message',
      outboundResourceUrl: '',
    };
    return this.webhooks.deliver('proxy-intercept', service.interceptCallbackUrl!, params).catch((error: Error): WebhookAnswer => ({ status: 0, body: error.message, contentType: '' }));
  }

  private async outOfSession(service: ProxyServiceRecord, record: InboundSmsRecord): Promise<WebhookAnswer> {
    const done = (outcome: ProxyInboundOutcome['outcome'], sessionSid: string | null = null, detail?: string) => this.outcomes.push({ messageSid: record.messageSid, outcome, sessionSid, detail });
    if (!service.outOfSessionCallbackUrl) {
      done('ignored', null, 'no out-of-session callback URL (Twilio warning 80905)');
      return NO_CALLBACK;
    }
    const answer = await this.webhooks.deliver('proxy-out-of-session', service.outOfSessionCallbackUrl, record.params);
    if (answer.status !== 200) {
      done('ignored', null, `callback answered ${answer.status}`);
      return answer;
    }
    if (answer.contentType.startsWith('application/json')) {
      let session: ProxySessionRecord;
      try {
        session = this.autoCreate(service, record, JSON.parse(answer.body) as AutoCreateSession);
      } catch (error) {
        done('auto_create_refused', null, (error as Error).message);
        return answer;
      }
      const sender = this.proxy.activeParticipant(service.sid, record.from, record.to)!;
      const { blocked } = await this.throughSession(service, sender, record);
      done(blocked ? 'auto_created_then_blocked' : 'auto_created_then_forwarded', session.sid);
      return answer;
    }
    const reply = /<Message[^>]*>([\s\S]*?)<\/Message>/.exec(answer.body)?.[1];
    if (reply !== undefined) {
      this.messageLog.record({ from: record.to, to: record.from, body: unescapeXml(reply), mediaUrls: [] });
      done('twiml_reply');
    } else {
      done('ignored', null, 'empty TwiML');
    }
    return answer;
  }

  /** The sender joins implicitly on the number it texted; the second participant is the one the JSON names. */
  private autoCreate(service: ProxyServiceRecord, record: InboundSmsRecord, json: AutoCreateSession): ProxySessionRecord {
    if (!json.participantIdentifier) throw new Error('auto-create JSON without participantIdentifier');
    const session = this.proxy.createSession(service.sid, { uniqueName: json.uniqueName, ttl: json.ttl });
    this.proxy.addParticipant(session, { identifier: record.from, proxyIdentifier: record.to });
    this.proxy.addParticipant(session, { identifier: json.participantIdentifier, proxyIdentifier: json.participantProxyIdentifier });
    return session;
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
