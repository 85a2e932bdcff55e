import { rfc2822 } from '../http/dates';
import { MessageRecord } from '../state/message-log';
import { OwnedNumberRecord } from '../state/number-book';
import { areaCodeOf, localityOf } from '../state/number-stock';

/** JSON shapes of the 2010 API (twilio_api_v2010.json), snake_case as Twilio sends them. */
const API_VERSION = '2010-04-01';

export function availableNumberJson(phone: string) {
  const { locality, region } = localityOf(areaCodeOf(phone) ?? '');
  const national = phone.replace(/^\+1/, '');
  return {
    friendly_name: `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`,
    phone_number: phone,
    lata: null,
    locality,
    rate_center: locality ? locality.toUpperCase() : null,
    latitude: null,
    longitude: null,
    region,
    postal_code: null,
    iso_country: 'US',
    address_requirements: 'none',
    beta: false,
    // Twilio spells these two in capitals on available numbers only
    capabilities: { voice: true, SMS: true, MMS: true, fax: false },
  };
}

export function incomingNumberJson(n: OwnedNumberRecord, accountSid: string) {
  return {
    account_sid: accountSid,
    address_sid: null,
    address_requirements: 'none',
    api_version: API_VERSION,
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    friendly_name: n.friendlyName,
    identity_sid: null,
    phone_number: n.phoneNumber,
    origin: 'twilio',
    sid: n.sid,
    sms_application_sid: '',
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: n.smsMethod,
    sms_url: n.smsUrl ?? '',
    status_callback: n.statusCallback ?? '',
    status_callback_method: 'POST',
    trunk_sid: null,
    uri: `/${API_VERSION}/Accounts/${accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_receive_mode: 'voice',
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_url: null,
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
    type: 'local',
    subresource_uris: { assigned_add_ons: `/${API_VERSION}/Accounts/${accountSid}/IncomingPhoneNumbers/${n.sid}/AssignedAddOns.json` },
  };
}

export function messageJson(m: MessageRecord, accountSid: string) {
  const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${m.sid}.json`;
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: m.dateSent ? rfc2822(m.dateSent) : null,
    date_updated: rfc2822(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: m.errorCode === null ? null : `Delivery failed with error ${m.errorCode}`,
    from: m.from,
    messaging_service_sid: null,
    // Twilio sends these two counts as strings
    num_media: String(m.mediaUrls.length),
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 160))),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: uri.replace('.json', '/Media.json') },
    to: m.to,
    uri,
  };
}
