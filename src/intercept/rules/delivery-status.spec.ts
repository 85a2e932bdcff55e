import { decideFailure, errorMeaning, isDeliveryOutcome, parseStatusCallback, statusRank } from './delivery-status';

const SMX = 'SM' + 'a'.repeat(32);
const SMY = 'SM' + 'b'.repeat(32);

describe('delivery status callbacks', () => {
  it('reads sid, status and error code', () => {
    expect(parseStatusCallback({ MessageSid: SMX, MessageStatus: 'undelivered', ErrorCode: '30003' })).toEqual({ messageSid: SMX, status: 'undelivered', errorCode: '30003' });
    expect(parseStatusCallback({ SmsSid: SMY, SmsStatus: 'Delivered' })).toEqual({ messageSid: SMY, status: 'delivered', errorCode: null });
  });

  it('refuses a callback without sid or status', () => {
    expect(() => parseStatusCallback({ MessageStatus: 'sent' })).toThrow(/MessageSid/);
    expect(() => parseStatusCallback({ MessageSid: SMX })).toThrow(/MessageStatus/);
  });

  it('refuses a sid that is not a Twilio message SID, and strips control characters from what it keeps', () => {
    expect(() => parseStatusCallback({ MessageSid: 'SM' + 'a'.repeat(5000), MessageStatus: 'sent' })).toThrow(/MessageSid/);
    expect(parseStatusCallback({ MessageSid: SMX + '\u0000', MessageStatus: 'fai\u0000led', ErrorCode: '300\u000003' })).toEqual({ messageSid: SMX, status: 'failed', errorCode: '30003' });
  });

  it('writes only outcomes, not the steps before them', () => {
    expect(['queued', 'sending', 'sent', 'accepted'].some(isDeliveryOutcome)).toBe(false);
    expect(['delivered', 'undelivered', 'failed', 'read'].every(isDeliveryOutcome)).toBe(true);
  });
});

describe('delivery status order', () => {
  it('ranks statuses so that only forward moves count', () => {
    expect(statusRank('queued')).toBeLessThan(statusRank('sent'));
    expect(statusRank('sent')).toBeLessThan(statusRank('delivered'));
    expect(statusRank('delivered')).toBe(statusRank('undelivered'));
    expect(statusRank('failed')).toBe(statusRank('delivered'));
    expect(statusRank('read')).toBeGreaterThan(statusRank('delivered'));
    expect(statusRank('receiving')).toBe(0);
  });
});

describe('failure policy', () => {
  const temporaryCodes = ['30001', '30003', '30008'];
  const decide = (direction: string, errorCode: string | null, alreadyRetried = false) => decideFailure({ direction, errorCode, temporaryCodes, alreadyRetried });

  it('retries a temporary code once, then alerts the sitter', () => {
    expect(decide('client_to_sitter', '30003')).toBe('retry');
    expect(decide('client_to_sitter', '30003', true)).toBe('alert_sitter');
    expect(decide('sitter_to_client', '30001', true)).toBe('alert_sitter');
  });

  it('alerts the sitter at once on a permanent code, never retrying', () => {
    for (const code of ['30007', '30002', '30004', '30005', '30034', null]) expect(decide('client_to_sitter', code)).toBe('alert_sitter');
    expect(decide('sitter_to_client', '30007')).toBe('alert_sitter');
  });

  it('never alerts about an alert or a notice', () => {
    expect(decide('alert', '30007')).toBe('record');
    expect(decide('alert', '30003')).toBe('record');
    expect(decide('system_notice', '30007')).toBe('record');
    expect(decide('system_notice', '30003')).toBe('retry');
  });

  it('names what a code means', () => {
    expect(errorMeaning('30003')).toBe('Unreachable destination handset');
    expect(errorMeaning('39999')).toBe('Twilio error 39999');
    expect(errorMeaning(null)).toBe('No error code given');
  });
});
