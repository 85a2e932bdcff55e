import { TwilioErrors } from '../http/twilio-api-error';
import { NumberStock } from './number-stock';
import { newSid } from './sids';

export interface OwnedNumberRecord {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  smsUrl: string | null;
  smsMethod: 'POST' | 'GET';
  statusCallback: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

/** One successful IncomingPhoneNumbers create: what tests count to prove "no double purchase". */
export interface PurchaseRecord {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  /** the AreaCode the caller asked for, when it bought by area code */
  requestedAreaCode: string | null;
  at: Date;
}

export interface NumberSettings {
  friendlyName?: string;
  smsUrl?: string;
  smsMethod?: 'POST' | 'GET';
  statusCallback?: string;
}

export type BuyRequest = NumberSettings & ({ phoneNumber: string; areaCode?: undefined } | { areaCode: string; phoneNumber?: undefined });

/** "(303) 555-0100": the friendly name Twilio gives a number bought without one. */
function nationalFormat(phone: string): string {
  const d = phone.replace(/^\+1/, '');
  return d.length === 10 ? `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}` : phone;
}

/** The account's incoming phone numbers and the log of every purchase. */
export class NumberBook {
  readonly owned: OwnedNumberRecord[] = [];
  readonly purchases: PurchaseRecord[] = [];

  constructor(private readonly stock: NumberStock) {}

  buy(request: BuyRequest): OwnedNumberRecord {
    let phoneNumber: string;
    if (request.phoneNumber !== undefined) {
      if (!this.stock.take(request.phoneNumber)) throw TwilioErrors.numberNotAvailable(request.phoneNumber);
      phoneNumber = request.phoneNumber;
    } else {
      const first = this.stock.forSale(request.areaCode)[0];
      if (!first || !this.stock.take(first)) throw TwilioErrors.noNumbersInAreaCode(request.areaCode);
      phoneNumber = first;
    }
    const record = this.add({ ...request, phoneNumber });
    this.purchases.push({
      sid: record.sid,
      phoneNumber,
      friendlyName: record.friendlyName,
      requestedAreaCode: request.areaCode ?? null,
      at: record.dateCreated,
    });
    return record;
  }

  /** Makes a number owned without a purchase (test and demo seeding). */
  add(settings: NumberSettings & { phoneNumber: string }): OwnedNumberRecord {
    const now = new Date();
    const record: OwnedNumberRecord = {
      sid: newSid('PN'),
      phoneNumber: settings.phoneNumber,
      friendlyName: settings.friendlyName ?? nationalFormat(settings.phoneNumber),
      smsUrl: settings.smsUrl ?? null,
      smsMethod: settings.smsMethod ?? 'POST',
      statusCallback: settings.statusCallback ?? null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.owned.push(record);
    return record;
  }

  find(sid: string): OwnedNumberRecord | undefined {
    return this.owned.find((n) => n.sid === sid);
  }

  findByPhone(phoneNumber: string): OwnedNumberRecord | undefined {
    return this.owned.find((n) => n.phoneNumber === phoneNumber);
  }

  /** Twilio matches FriendlyName exactly and PhoneNumber as a pattern; the simulator matches both exactly. */
  list(filter: { friendlyName?: string; phoneNumber?: string }): OwnedNumberRecord[] {
    return this.owned.filter(
      (n) => (filter.friendlyName === undefined || n.friendlyName === filter.friendlyName) && (filter.phoneNumber === undefined || n.phoneNumber === filter.phoneNumber),
    );
  }

  update(record: OwnedNumberRecord, changes: NumberSettings): OwnedNumberRecord {
    Object.assign(record, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)), { dateUpdated: new Date() });
    return record;
  }

  release(record: OwnedNumberRecord): void {
    this.owned.splice(this.owned.indexOf(record), 1);
  }

  reset(): void {
    this.owned.length = 0;
    this.purchases.length = 0;
  }
}
