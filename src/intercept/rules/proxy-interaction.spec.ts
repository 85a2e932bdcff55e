import { ValidationFailedError } from '../../common/http/app-errors';
import { parseProxyInteraction } from './proxy-interaction';

const sid = (prefix: string, digit: string) => prefix + digit.repeat(32);
const callback = (over: Record<string, unknown> = {}) => ({
  interactionSid: sid('KI', 'a'),
  interactionSessionSid: sid('KC', 'b'),
  interactionType: 'Message',
  interactionData: JSON.stringify({ body: 'Hi there' }),
  inboundParticipantSid: sid('KP', 'c'),
  outboundParticipantSid: sid('KP', 'd'),
  inboundResourceSid: sid('SM', 'e'),
  ...over,
});

describe('parseProxyInteraction (Proxy intercept callback)', () => {
  it('reads a client text', () => {
    expect(parseProxyInteraction(callback())).toEqual({
      interactionSid: sid('KI', 'a'),
      sessionSid: sid('KC', 'b'),
      isMessage: true,
      inboundParticipantSid: sid('KP', 'c'),
      outboundParticipantSid: sid('KP', 'd'),
      inboundMessageSid: sid('SM', 'e'),
      body: 'Hi there',
    });
  });

  it('compares the interaction type without regard to case', () => {
    expect(parseProxyInteraction(callback({ interactionType: 'MESSAGE' })).isMessage).toBe(true);
    expect(parseProxyInteraction(callback({ interactionType: 'message' })).isMessage).toBe(true);
    expect(parseProxyInteraction(callback({ interactionType: 'Voice' })).isMessage).toBe(false);
  });

  it('reads a one-sided interaction (created through the API) as having no inbound participant', () => {
    const parsed = parseProxyInteraction(callback({ inboundParticipantSid: '', inboundResourceSid: '' }));
    expect(parsed).toMatchObject({ inboundParticipantSid: null, inboundMessageSid: null });
  });

  it('takes no body from interactionData that is not the documented JSON, and strips control characters', () => {
    expect(parseProxyInteraction(callback({ interactionData: 'not json' })).body).toBe('');
    expect(parseProxyInteraction(callback({ interactionData: JSON.stringify({ body: 42 }) })).body).toBe('');
    expect(parseProxyInteraction(callback({ interactionData: JSON.stringify({ body: 'a\u0000b' }) })).body).toBe('ab');
  });

  it('refuses sids that are not Twilio\'s shape, naming each field', () => {
    const error = (() => {
      try {
        parseProxyInteraction(callback({ interactionSid: 'KI-nope', interactionSessionSid: ['x'], inboundParticipantSid: 'KP1' }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).fields.map((f) => f.field)).toEqual(['interactionSid', 'interactionSessionSid', 'inboundParticipantSid']);
  });
});
