import { page2010 } from '../http/paging';
import { TwilioErrors } from '../http/twilio-api-error';
import { TwilioCall, TwilioRouter } from '../http/twilio-router';
import { NumberBook, NumberSettings } from '../state/number-book';
import { NumberStock } from '../state/number-stock';
import { availableNumberJson, incomingNumberJson } from './api2010.views';

const ACCOUNT = '/2010-04-01/Accounts/:AccountSid';

function numberSettings(form: URLSearchParams): NumberSettings {
  const method = form.get('SmsMethod')?.toUpperCase();
  return {
    friendlyName: form.get('FriendlyName') ?? undefined,
    smsUrl: form.get('SmsUrl') ?? undefined,
    smsMethod: method === 'GET' || method === 'POST' ? method : undefined,
    statusCallback: form.get('StatusCallback') ?? undefined,
  };
}

/** AvailablePhoneNumbers search and the IncomingPhoneNumbers resource. */
export function registerNumberRoutes(router: TwilioRouter, numbers: NumberBook, stock: NumberStock, accountSid: string): void {
  const owned = (call: TwilioCall) => {
    const found = numbers.find(call.params.Sid);
    if (!found) throw TwilioErrors.notFound(call.twilioPath);
    return found;
  };

  router.get(`${ACCOUNT}/AvailablePhoneNumbers/:CountryCode/Local.json`, 'numbers.search', (call) => {
    // every simulated number is SMS- and voice-capable, so those filters never narrow the search
    const areaCode = call.query.get('AreaCode');
    const forSale = call.params.CountryCode === 'US' && areaCode ? stock.forSale(areaCode) : [];
    const pageSize = Number(call.query.get('PageSize')) || 50;
    return { status: 200, body: page2010(forSale.slice(0, pageSize).map(availableNumberJson), call, 'available_phone_numbers') };
  });

  router.post(`${ACCOUNT}/IncomingPhoneNumbers.json`, 'numbers.buy', ({ form }) => {
    const phoneNumber = form.get('PhoneNumber');
    const areaCode = form.get('AreaCode');
    const settings = numberSettings(form);
    let record;
    if (phoneNumber) record = numbers.buy({ ...settings, phoneNumber });
    else if (areaCode) record = numbers.buy({ ...settings, areaCode });
    else throw TwilioErrors.missingParameter('PhoneNumber or AreaCode');
    return { status: 201, body: incomingNumberJson(record, accountSid) };
  });

  router.get(`${ACCOUNT}/IncomingPhoneNumbers.json`, 'numbers.list', (call) => {
    const filter = { friendlyName: call.query.get('FriendlyName') ?? undefined, phoneNumber: call.query.get('PhoneNumber') ?? undefined };
    const json = numbers.list(filter).map((n) => incomingNumberJson(n, accountSid));
    return { status: 200, body: page2010(json, call, 'incoming_phone_numbers') };
  });

  router.get(`${ACCOUNT}/IncomingPhoneNumbers/:Sid.json`, 'numbers.fetch', (call) => ({ status: 200, body: incomingNumberJson(owned(call), accountSid) }));

  router.post(`${ACCOUNT}/IncomingPhoneNumbers/:Sid.json`, 'numbers.update', (call) => ({
    status: 200,
    body: incomingNumberJson(numbers.update(owned(call), numberSettings(call.form)), accountSid),
  }));

  router.delete(`${ACCOUNT}/IncomingPhoneNumbers/:Sid.json`, 'numbers.release', (call) => {
    numbers.release(owned(call));
    return { status: 204 };
  });
}
