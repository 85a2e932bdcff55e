import { page2010 } from '../http/paging';
import { TwilioErrors } from '../http/twilio-api-error';
import { TwilioRouter } from '../http/twilio-router';
import { MessageLog, MessageRecord } from '../state/message-log';
import { messageJson } from './api2010.views';

const ACCOUNT = '/2010-04-01/Accounts/:AccountSid';

/** The Messages resource; `onSent` schedules the status callbacks of each new message. */
export function registerMessageRoutes(router: TwilioRouter, log: MessageLog, accountSid: string, onSent: (m: MessageRecord) => void): void {
  router.post(`${ACCOUNT}/Messages.json`, 'messages.create', ({ form }) => {
    const message = log.send({
      from: form.get('From') ?? undefined,
      to: form.get('To') ?? undefined,
      body: form.get('Body') ?? undefined,
      mediaUrls: form.getAll('MediaUrl'),
      statusCallback: form.get('StatusCallback') ?? undefined,
    });
    onSent(message);
    return { status: 201, body: messageJson(message, accountSid) };
  });

  router.get(`${ACCOUNT}/Messages.json`, 'messages.list', (call) => {
    const date = (key: string) => {
      const value = call.query.get(key);
      const parsed = value ? new Date(value) : undefined;
      return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
    };
    const filter = {
      from: call.query.get('From') ?? undefined,
      to: call.query.get('To') ?? undefined,
      dateSent: date('DateSent'),
      dateSentAfter: date('DateSent>'),
      dateSentBefore: date('DateSent<'),
    };
    return { status: 200, body: page2010(log.list(filter).map((m) => messageJson(m, accountSid)), call, 'messages') };
  });

  router.get(`${ACCOUNT}/Messages/:Sid.json`, 'messages.fetch', (call) => {
    const message = log.find(call.params.Sid);
    if (!message) throw TwilioErrors.notFound(call.twilioPath);
    return { status: 200, body: messageJson(message, accountSid) };
  });
}
