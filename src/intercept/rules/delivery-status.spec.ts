import { isDeliveryOutcome, parseStatusCallback } from './delivery-status';

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
