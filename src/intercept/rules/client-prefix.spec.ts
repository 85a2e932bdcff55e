import { composeRelayBody, formatClientPrefix, MAX_LABEL_LENGTH, sanitizeName } from './client-prefix';
import { TWILIO_MAX_BODY_LENGTH } from './sms-text';

const PHONE = '+13035550112';

describe('formatClientPrefix', () => {
  it('uses the client name', () => {
    expect(formatClientPrefix('Alice Smith', PHONE)).toBe('[Alice Smith]: ');
  });

  it('falls back to the last four digits when the name is unknown or empty after cleaning', () => {
    expect(formatClientPrefix(null, PHONE)).toBe('[Client ...0112]: ');
    expect(formatClientPrefix('   ', PHONE)).toBe('[Client ...0112]: ');
    expect(formatClientPrefix('🐶🐱', PHONE)).toBe('[Client ...0112]: ');
  });

  it('never shows a full phone number, even one inside the name', () => {
    expect(formatClientPrefix('+13035550112', PHONE)).toBe('[...0112]: ');
    expect(formatClientPrefix('Bob (720) 555-0199', PHONE)).toBe('[Bob ...0199]: ');
    const prefix = formatClientPrefix('call 303.555.0112 now', PHONE);
    expect(prefix).not.toMatch(/\d{5,}/);
    expect(prefix).toContain('...0112');
  });

  it('keeps short digit runs such as a unit number', () => {
    expect(formatClientPrefix('Apt 12 Jones', PHONE)).toBe('[Apt 12 Jones]: ');
  });

  it('neutralizes brackets, quotes, braces and line breaks without losing the name', () => {
    expect(formatClientPrefix('Eve]: fake [Bob', PHONE)).toBe('[Eve): fake (Bob]: ');
    expect(formatClientPrefix(`O'Brien "Dee" {x}`, PHONE)).toBe(`[O'Brien "Dee" {x}]: `);
    expect(formatClientPrefix('Ann\nMarie\r\tLee', PHONE)).toBe('[Ann Marie Lee]: ');
    // a right-to-left override would make the label read backwards
    expect(formatClientPrefix('Ann\u202Eevil', PHONE)).toBe('[Ann evil]: ');
  });

  it('drops pictographs (they would turn every forwarded SMS into UCS-2) but keeps letters of any script', () => {
    expect(formatClientPrefix('Zoë 🐕‍🦺 Müller', PHONE)).toBe('[Zoë Müller]: ');
    expect(formatClientPrefix('李小龙', PHONE)).toBe('[李小龙]: ');
  });

  it('shortens a long name to first name and initial, or cuts it with an ellipsis', () => {
    expect(formatClientPrefix('Alexandria Catherine Montgomery-Smithson', PHONE)).toBe('[Alexandria M.]: ');
    const long = formatClientPrefix('x'.repeat(500), PHONE);
    expect(long).toBe(`[${'x'.repeat(MAX_LABEL_LENGTH - 1)}…]: `);
    const hostile = formatClientPrefix(`${'"{}'.repeat(150)}🎉${'é'.repeat(50)}`, PHONE);
    expect(hostile.length).toBeLessThanOrEqual(MAX_LABEL_LENGTH + 4);
  });

  it('never splits a multi-code-unit character when cutting', () => {
    const label = formatClientPrefix('𝒜'.repeat(40), PHONE);
    expect(label).toMatch(/^\[(𝒜)+…\]: $/u);
  });
});

describe('sanitizeName', () => {
  it('answers an empty string for nothing usable', () => {
    expect(sanitizeName(undefined)).toBe('');
    expect(sanitizeName('\u0000\u0007')).toBe('');
  });
});

describe('composeRelayBody', () => {
  it('prefixes the body', () => {
    expect(composeRelayBody('[Alice Smith]: ', 'Hi')).toBe('[Alice Smith]: Hi');
  });

  it('sends the bare label for a media-only message', () => {
    expect(composeRelayBody('[Alice Smith]: ', '')).toBe('[Alice Smith]:');
    expect(composeRelayBody('', '')).toBe('');
  });

  it('stays within the Twilio body limit, shortening the body and keeping the label', () => {
    const prefix = '[Alice Smith]: ';
    const body = composeRelayBody(prefix, 'y'.repeat(1600));
    expect(body.length).toBe(TWILIO_MAX_BODY_LENGTH);
    expect(body.startsWith(prefix)).toBe(true);
    expect(body.endsWith('…')).toBe(true);
    const emoji = composeRelayBody(prefix, '😀'.repeat(900));
    expect(emoji.length).toBeLessThanOrEqual(TWILIO_MAX_BODY_LENGTH);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('leaves a body at the limit untouched when there is no prefix', () => {
    const body = 'z'.repeat(1600);
    expect(composeRelayBody('', body)).toBe(body);
  });
});
