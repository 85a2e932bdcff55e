import { iso8601 } from '../http/dates';
import { pageV1 } from '../http/paging';
import { TwilioRouter } from '../http/twilio-router';
import { MessagingServiceNumberRecord, MessagingServiceRecord, MessagingServices } from '../state/messaging-services';

/** JSON shapes of Messaging v1 (twilio_messaging_v1.json): the fields the SDK maps. */
const BASE = 'https://messaging.twilio.com/v1';

function serviceJson(s: MessagingServiceRecord, accountSid: string) {
  const url = `${BASE}/Services/${s.sid}`;
  return {
    sid: s.sid,
    account_sid: accountSid,
    friendly_name: s.friendlyName,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateCreated),
    inbound_request_url: null,
    inbound_method: 'POST',
    fallback_url: null,
    fallback_method: 'POST',
    status_callback: null,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: 'inherit',
    fallback_to_long_code: false,
    area_code_geomatch: true,
    synchronous_validation: false,
    validity_period: 36000,
    url,
    links: { phone_numbers: `${url}/PhoneNumbers`, short_codes: `${url}/ShortCodes`, alpha_senders: `${url}/AlphaSenders` },
    usecase: 'mixed',
    us_app_to_person_registered: true,
    use_inbound_webhook_on_number: true,
  };
}

function numberJson(n: MessagingServiceNumberRecord, accountSid: string) {
  return {
    sid: n.sid,
    account_sid: accountSid,
    service_sid: n.serviceSid,
    date_created: iso8601(n.dateCreated),
    date_updated: iso8601(n.dateCreated),
    phone_number: n.phoneNumber,
    country_code: 'US',
    capabilities: ['SMS', 'MMS', 'Voice'],
    url: `${BASE}/Services/${n.serviceSid}/PhoneNumbers/${n.sid}`,
  };
}

/** Messaging v1: services and their phone-number senders. */
export function registerMessagingRoutes(router: TwilioRouter, services: MessagingServices, accountSid: string): void {
  router.post('/v1/Services', 'messaging.services.create', ({ form }) => {
    const service = services.create({ friendlyName: form.get('FriendlyName') ?? undefined });
    return { status: 201, body: serviceJson(service, accountSid) };
  });

  router.get('/v1/Services/:Sid', 'messaging.services.fetch', (call) => ({ status: 200, body: serviceJson(services.service(call.params.Sid, call.twilioPath), accountSid) }));

  router.post('/v1/Services/:ServiceSid/PhoneNumbers', 'messaging.phoneNumbers.create', (call) => {
    const added = services.addNumber(call.params.ServiceSid, call.form.get('PhoneNumberSid') ?? undefined, call.twilioPath);
    return { status: 201, body: numberJson(added, accountSid) };
  });

  router.delete('/v1/Services/:ServiceSid/PhoneNumbers/:Sid', 'messaging.phoneNumbers.delete', (call) => {
    services.removeNumber(call.params.ServiceSid, call.params.Sid, call.twilioPath);
    return { status: 204, body: null };
  });

  router.get('/v1/Services/:ServiceSid/PhoneNumbers', 'messaging.phoneNumbers.list', (call) => {
    services.service(call.params.ServiceSid, call.twilioPath);
    return { status: 200, body: pageV1(services.numbersOf(call.params.ServiceSid).map((n) => numberJson(n, accountSid)), call, 'messaging', 'phone_numbers') };
  });
}
