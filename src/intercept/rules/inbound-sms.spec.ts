import { ValidationFailedError } from '../../common/http/app-errors';
import { parseInboundSms } from './inbound-sms';

const SID = 'SM' + 'a1'.repeat(16);

describe('parseInboundSms', () => {
  it('reads sender, receiver, body and media URLs', () => {
    const sms = parseInboundSms({
      MessageSid: SID,
      From: '+13035550112',
      To: '+17205550100',
      Body: 'Look',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/media/1',
      MediaUrl1: 'https://api.twilio.com/media/2',
      MediaUrl2: 'https://ignored.example/3',
    });
    expect(sms).toEqual({ messageSid: SID, from: '+13035550112', to: '+17205550100', body: 'Look', mediaUrls: ['https://api.twilio.com/media/1', 'https://api.twilio.com/media/2'] });
  });

  it('accepts a missing body and short-code senders', () => {
    expect(parseInboundSms({ MessageSid: SID, From: '55512', To: '+17205550100' })).toMatchObject({ body: '', mediaUrls: [], from: '55512' });
  });

  it('names every missing or malformed field', () => {
    try {
      parseInboundSms({ MessageSid: 'SM1:2', To: ['+1'] });
      throw new Error('expected a validation error');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationFailedError);
      expect((err as ValidationFailedError).fields.map((f) => f.field)).toEqual(['MessageSid', 'From', 'To']);
    }
  });
});
