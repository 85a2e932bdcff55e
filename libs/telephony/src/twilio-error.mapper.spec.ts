import twilio from 'twilio';
import TwilioServiceException from 'twilio/lib/base/TwilioServiceException';
import { TelephonyError } from './telephony.gateway';
import { maskPhoneNumbers, parseRetryAfter, toTelephonyError } from './twilio-error.mapper';

describe('toTelephonyError', () => {
  it('maps a RestException to its Twilio code and status, masking phone numbers', () => {
    const rest = new twilio.RestException({ statusCode: 400, body: { code: 21606, message: 'The From phone number +13035550142 is not valid', status: 400 } });
    const mapped = toTelephonyError(rest) as TelephonyError;
    expect(mapped).toBeInstanceOf(TelephonyError);
    expect(mapped).toMatchObject({ code: 21606, status: 400, uncertain: false, message: 'The From phone number +…0142 is not valid' });
  });

  it('maps an RFC 9457 TwilioServiceException', () => {
    const problem = new TwilioServiceException({ statusCode: 429, body: { type: 'https://www.twilio.com/docs/errors/20429', title: 'Too Many Requests', status: 429, code: 20429, detail: 'Slow down' } });
    expect(toTelephonyError(problem)).toMatchObject({ code: 20429, status: 429, message: 'Slow down', retryable: true });
  });

  it('maps socket errors to uncertain errors and leaves programming errors alone', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toTelephonyError(reset)).toMatchObject({ code: null, status: null, uncertain: true, retryable: true });
    const bug = new TypeError('Required parameter "params.to" missing.');
    expect(toTelephonyError(bug)).toBe(bug);
  });
});

describe('maskPhoneNumbers', () => {
  it('keeps only the last four digits of E.164 numbers', () => {
    expect(maskPhoneNumbers('The From phone number +13035550142 is not valid')).toBe('The From phone number +…0142 is not valid');
    expect(maskPhoneNumbers('code 21606 in area code 303')).toBe('code 21606 in area code 303');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T10:00:00Z');
  it.each([
    ['30', 30_000],
    [['5'], 5_000],
    ['Wed, 01 Jan 2025 10:00:12 GMT', 12_000],
    ['Wed, 01 Jan 2025 09:00:00 GMT', 0],
    [undefined, null],
    ['', null],
    ['soon', null],
  ])('%p → %p ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
