import { rerouteTwilioUri } from './rerouting-request-client';

describe('rerouteTwilioUri', () => {
  const base = 'http://127.0.0.1:4010';

  it.each([
    ['https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json', `${base}/api/2010-04-01/Accounts/AC1/Messages.json`],
    ['https://proxy.twilio.com/v1/Services/KS1/Sessions', `${base}/proxy/v1/Services/KS1/Sessions`],
    ['https://conversations.twilio.com/v1/ParticipantConversations?Address=%2B1720&PageSize=1&Page=1', `${base}/conversations/v1/ParticipantConversations?Address=%2B1720&PageSize=1&Page=1`],
    // an edge/region-qualified host keeps the product as the first label
    ['https://api.sydney.au1.twilio.com/2010-04-01/Accounts.json', `${base}/api/2010-04-01/Accounts.json`],
  ])('%s goes to the base URL under its product', (uri, expected) => {
    expect(rerouteTwilioUri(uri, base)).toBe(expected);
    expect(rerouteTwilioUri(uri, `${base}/`)).toBe(expected);
  });

  it('leaves URIs that are not Twilio\'s alone', () => {
    expect(rerouteTwilioUri(`${base}/api/2010-04-01/x.json`, base)).toBe(`${base}/api/2010-04-01/x.json`);
    expect(rerouteTwilioUri('https://example.com/twilio.com', base)).toBe('https://example.com/twilio.com');
  });
});
