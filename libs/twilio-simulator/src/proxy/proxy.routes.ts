import { TwilioErrors } from '../http/twilio-api-error';
import { pageV1 } from '../http/paging';
import { TwilioCall, TwilioRouter } from '../http/twilio-router';
import { ProxyState } from '../state/proxy-state';
import { ProxyFlow } from './proxy-flow';
import { messageInteractionJson, participantJson, proxyNumberJson, serviceJson, sessionJson } from './proxy.views';

const SESSION = '/v1/Services/:ServiceSid/Sessions/:SessionSid';
const optionalNumber = (value: string | null) => (value === null || value === '' ? undefined : Number(value));

/** Proxy v1: services, their phone numbers, sessions, participants and message interactions. */
export function registerProxyRoutes(router: TwilioRouter, proxy: ProxyState, flow: ProxyFlow, accountSid: string): void {
  const session = (call: TwilioCall) => proxy.session(proxy.service(call.params.ServiceSid, call.twilioPath).sid, call.params.SessionSid, call.twilioPath);

  router.post('/v1/Services', 'proxy.services.create', ({ form }) => {
    const service = proxy.createService({
      uniqueName: form.get('UniqueName') ?? null,
      defaultTtl: optionalNumber(form.get('DefaultTtl')),
      callbackUrl: form.get('CallbackUrl') ?? null,
      interceptCallbackUrl: form.get('InterceptCallbackUrl') ?? null,
      outOfSessionCallbackUrl: form.get('OutOfSessionCallbackUrl') ?? null,
    });
    return { status: 201, body: serviceJson(service, accountSid) };
  });

  router.get('/v1/Services/:ServiceSid', 'proxy.services.fetch', (call) => ({ status: 200, body: serviceJson(proxy.service(call.params.ServiceSid, call.twilioPath), accountSid) }));

  router.post('/v1/Services/:ServiceSid/PhoneNumbers/:Sid', 'proxy.phoneNumbers.update', (call) => {
    const service = proxy.service(call.params.ServiceSid, call.twilioPath);
    const number = proxy.setReserved(service.sid, call.params.Sid, call.form.get('IsReserved') === 'true', call.twilioPath);
    return { status: 200, body: proxyNumberJson(number, proxy.inUse(number), accountSid) };
  });

  router.delete('/v1/Services/:ServiceSid/PhoneNumbers/:Sid', 'proxy.phoneNumbers.delete', (call) => {
    proxy.removeNumber(proxy.service(call.params.ServiceSid, call.twilioPath).sid, call.params.Sid, call.twilioPath);
    return { status: 204, body: null };
  });

  router.get(SESSION, 'proxy.sessions.fetch', (call) => ({ status: 200, body: sessionJson(session(call), accountSid) }));

  router.post(SESSION, 'proxy.sessions.update', (call) => {
    const found = session(call);
    const status = call.form.get('Status');
    if (status !== null && status !== 'closed' && status !== 'in-progress') throw TwilioErrors.invalidState(status);
    if (status === 'closed') proxy.close(found);
    return { status: 200, body: sessionJson(found, accountSid) };
  });

  router.get(`${SESSION}/Participants`, 'proxy.participants.list', (call) => {
    const json = proxy.participantsOf(session(call)).map((p) => participantJson(p, accountSid));
    return { status: 200, body: pageV1(json, call, 'proxy', 'participants') };
  });

  router.post('/v1/Services/:ServiceSid/PhoneNumbers', 'proxy.phoneNumbers.create', (call) => {
    const service = proxy.service(call.params.ServiceSid, call.twilioPath);
    const number = proxy.addNumber(
      service.sid,
      { sid: call.form.get('Sid') ?? undefined, phoneNumber: call.form.get('PhoneNumber') ?? undefined, isReserved: call.form.get('IsReserved') === 'true' },
      call.twilioPath,
    );
    return { status: 201, body: proxyNumberJson(number, proxy.inUse(number), accountSid) };
  });

  router.post('/v1/Services/:ServiceSid/Sessions', 'proxy.sessions.create', (call) => {
    const service = proxy.service(call.params.ServiceSid, call.twilioPath);
    const created = proxy.createSession(service.sid, { uniqueName: call.form.get('UniqueName') ?? undefined, ttl: optionalNumber(call.form.get('Ttl')) });
    return { status: 201, body: sessionJson(created, accountSid) };
  });

  router.post(`${SESSION}/Participants`, 'proxy.participants.create', (call) => {
    const identifier = call.form.get('Identifier');
    if (!identifier) throw TwilioErrors.missingParameter('Identifier');
    const participant = proxy.addParticipant(session(call), {
      identifier,
      friendlyName: call.form.get('FriendlyName') ?? undefined,
      proxyIdentifier: call.form.get('ProxyIdentifier') ?? undefined,
    });
    return { status: 201, body: participantJson(participant, accountSid) };
  });

  router.get(`${SESSION}/Participants/:ParticipantSid/MessageInteractions`, 'proxy.messageInteractions.list', (call) => {
    const found = session(call);
    const participant = proxy.participant(found, call.params.ParticipantSid, call.twilioPath);
    // Twilio lists a participant's interactions newest first
    const json = proxy.interactions
      .filter((i) => i.participantSid === participant.sid && i.inboundParticipantSid === null)
      .reverse()
      .map((i) => messageInteractionJson(i, accountSid));
    return { status: 200, body: pageV1(json, call, 'proxy', 'interactions') };
  });

  router.post(`${SESSION}/Participants/:ParticipantSid/MessageInteractions`, 'proxy.messageInteractions.create', (call) => {
    const found = session(call);
    const participant = proxy.participant(found, call.params.ParticipantSid, call.twilioPath);
    const interaction = proxy.openInteraction(found, participant, { body: call.form.get('Body') ?? '', mediaUrls: call.form.getAll('MediaUrl') });
    // with an intercept URL, Proxy calls it before sending: the API answers first, as Twilio's does
    if (proxy.service(found.serviceSid, call.twilioPath).interceptCallbackUrl) void flow.apiInteraction(interaction);
    else proxy.forward(interaction);
    return { status: 201, body: messageInteractionJson(interaction, accountSid) };
  });
}
