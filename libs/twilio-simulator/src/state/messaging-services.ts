import { TwilioApiError, TwilioErrors } from '../http/twilio-api-error';
import { NumberBook, OwnedNumberRecord } from './number-book';
import { newSid } from './sids';

export interface MessagingServiceRecord {
  sid: string;
  friendlyName: string;
  dateCreated: Date;
}
export interface MessagingServiceNumberRecord {
  /** the incoming phone number's PN sid: Twilio uses it as the sender resource's sid */
  sid: string;
  serviceSid: string;
  phoneNumber: string;
  dateCreated: Date;
}

/**
 * Messaging v1 Services and their phone-number senders. While the account has
 * any Messaging Service, US carriers deliver only texts whose sender is in one
 * (A2P 10DLC): the dispatcher asks `blocksSender` before each delivery.
 */
export class MessagingServices {
  readonly services: MessagingServiceRecord[] = [];
  readonly senders: MessagingServiceNumberRecord[] = [];

  constructor(private readonly numbers: NumberBook) {}

  create(input: { sid?: string; friendlyName?: string }): MessagingServiceRecord {
    const existing = input.sid ? this.services.find((s) => s.sid === input.sid) : undefined;
    if (existing) return existing;
    const service: MessagingServiceRecord = { sid: input.sid ?? newSid('MG'), friendlyName: input.friendlyName ?? 'Maskline', dateCreated: new Date() };
    this.services.push(service);
    return service;
  }

  service(sid: string, path: string): MessagingServiceRecord {
    const found = this.services.find((s) => s.sid === sid);
    if (!found) throw TwilioErrors.notFound(path);
    return found;
  }

  /** 21710: already in this service; 21712: in another one (Twilio's codes) */
  addNumber(serviceSid: string, phoneNumberSid: string | undefined, path: string): MessagingServiceNumberRecord {
    this.service(serviceSid, path);
    if (!phoneNumberSid) throw TwilioErrors.missingParameter('PhoneNumberSid');
    const owned: OwnedNumberRecord | undefined = this.numbers.find(phoneNumberSid);
    if (!owned) throw new TwilioApiError(400, 21711, `The phone number ${phoneNumberSid} is not associated with this account`);
    const member = this.senders.find((n) => n.sid === phoneNumberSid);
    if (member?.serviceSid === serviceSid) throw new TwilioApiError(409, 21710, 'Phone Number or Short Code is already in the Messaging Service.');
    if (member) throw new TwilioApiError(409, 21712, 'Phone Number or Short Code is associated with another Messaging Service.');
    const record: MessagingServiceNumberRecord = { sid: owned.sid, serviceSid, phoneNumber: owned.phoneNumber, dateCreated: new Date() };
    this.senders.push(record);
    return record;
  }

  removeNumber(serviceSid: string, phoneNumberSid: string, path: string): void {
    this.service(serviceSid, path);
    const index = this.senders.findIndex((n) => n.serviceSid === serviceSid && n.sid === phoneNumberSid);
    if (index < 0) throw TwilioErrors.notFound(path);
    this.senders.splice(index, 1);
  }

  numbersOf(serviceSid: string): MessagingServiceNumberRecord[] {
    return this.senders.filter((n) => n.serviceSid === serviceSid);
  }

  /** a configured account blocks texts from numbers outside every service (30034) */
  blocksSender(from: string): boolean {
    return this.services.length > 0 && !this.senders.some((n) => n.phoneNumber === from);
  }

  reset(): void {
    this.services.length = 0;
    this.senders.length = 0;
  }
}
