import { detectCarrierKeyword } from './carrier-keywords';

describe('detectCarrierKeyword', () => {
  it.each([
    ['STOP', 'opt_out'],
    ['stop', 'opt_out'],
    ['  Stop.  ', 'opt_out'],
    ['unsubscribe!', 'opt_out'],
    ['START', 'opt_in'],
    ['unstop', 'opt_in'],
    ['Help?', 'help'],
    ['info', 'help'],
  ])('%j is a %s keyword', (body, kind) => {
    expect(detectCarrierKeyword(body)?.kind).toBe(kind);
  });

  it.each(['Please stop by at 3', 'Yes', 'yes!', 'help me with the dog', 'STOP STOP', '', 'constructor', '__proto__'])('%j is chat', (body) => {
    expect(detectCarrierKeyword(body)).toBeNull();
  });

  it('names the keyword it matched', () => {
    expect(detectCarrierKeyword(' quit ')).toEqual({ keyword: 'QUIT', kind: 'opt_out' });
  });
});
