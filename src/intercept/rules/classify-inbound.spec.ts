import { classifyInbound, InboundFacts } from './classify-inbound';

const SITTER = { id: 's1', phone: '+13035550100', status: 'active' as const };
const CLIENT = '+13035550112';
const POOL = { lifecycle: 'pool' as const, status: 'ready' as const };
const base: InboundFacts = { from: CLIENT, body: 'Hi', reservedOwner: null, senderSitter: null, senderHasSession: false, receivingNumber: null };

describe('classifyInbound', () => {
  it('client → sitter when a reserved number receives from anyone but its sitter', () => {
    expect(classifyInbound({ ...base, reservedOwner: SITTER })).toEqual({ kind: 'client_to_sitter' });
    expect(classifyInbound({ ...base, reservedOwner: { ...SITTER, status: 'pending' } })).toEqual({ kind: 'client_to_sitter' });
  });

  it('sitter → client when the sending sitter has a session on the receiving number', () => {
    expect(classifyInbound({ ...base, from: SITTER.phone, senderSitter: SITTER, senderHasSession: true })).toEqual({ kind: 'sitter_to_client' });
  });

  it('a sitter texting a ready pool number without a session gets the notice route', () => {
    expect(classifyInbound({ ...base, from: SITTER.phone, senderSitter: SITTER, receivingNumber: POOL })).toEqual({ kind: 'sitter_without_session' });
  });

  it('leaves unknown senders and numbers unrouted, with the reason', () => {
    expect(classifyInbound({ ...base, receivingNumber: POOL })).toEqual({ kind: 'unrouted', reason: 'unknown_sender' });
    expect(classifyInbound(base)).toEqual({ kind: 'unrouted', reason: 'unknown_number' });
    expect(classifyInbound({ ...base, senderSitter: SITTER, receivingNumber: { lifecycle: 'standby', status: 'ready' } })).toEqual({ kind: 'unrouted', reason: 'unknown_number' });
    expect(classifyInbound({ ...base, senderSitter: SITTER, receivingNumber: { lifecycle: 'pool', status: 'released' } })).toEqual({ kind: 'unrouted', reason: 'unknown_number' });
    expect(classifyInbound({ ...base, from: SITTER.phone, reservedOwner: SITTER })).toEqual({ kind: 'unrouted', reason: 'own_reserved_number' });
    expect(classifyInbound({ ...base, reservedOwner: { ...SITTER, status: 'inactive' } })).toEqual({ kind: 'unrouted', reason: 'sitter_inactive' });
  });

  it('never routes carrier keywords, whichever way they travel', () => {
    expect(classifyInbound({ ...base, body: 'STOP', reservedOwner: SITTER })).toEqual({ kind: 'carrier_keyword', keyword: { keyword: 'STOP', kind: 'opt_out' } });
    expect(classifyInbound({ ...base, body: 'help', from: SITTER.phone, senderSitter: SITTER, senderHasSession: true }).kind).toBe('carrier_keyword');
  });
});
