import { isDeliveryOutcome, parseStatusCallback } from './delivery-status';

describe('delivery status callbacks', () => {
  it('reads sid, status and error code', () => {
    expect(parseStatusCallback({ MessageSid: 'SMx', MessageStatus: 'undelivered', ErrorCode: '30003' })).toEqual({ messageSid: 'SMx', status: 'undelivered', errorCode: '30003' });
    expect(parseStatusCallback({ SmsSid: 'SMy', SmsStatus: 'Delivered' })).toEqual({ messageSid: 'SMy', status: 'delivered', errorCode: null });
  });

  it('refuses a callback without sid or status', () => {
    expect(() => parseStatusCallback({ MessageStatus: 'sent' })).toThrow(/MessageSid/);
    expect(() => parseStatusCallback({ MessageSid: 'SMx' })).toThrow(/MessageStatus/);
  });

  it('writes only outcomes, not the steps before them', () => {
    expect(['queued', 'sending', 'sent', 'accepted'].some(isDeliveryOutcome)).toBe(false);
    expect(['delivered', 'undelivered', 'failed', 'read'].every(isDeliveryOutcome)).toBe(true);
  });
});
