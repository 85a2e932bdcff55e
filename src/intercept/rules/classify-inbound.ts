import type { InventoryNumber, Sitter } from '@maskline/store';
import { CarrierKeyword, detectCarrierKeyword } from './carrier-keywords';

/** What the relay knows about an inbound message once it has looked its two numbers up. */
export interface InboundFacts {
  from: string;
  body: string;
  /** the sitter whose reserved number received the message */
  reservedOwner: Pick<Sitter, 'id' | 'phone' | 'status'> | null;
  /** the sitter whose real phone sent the message */
  senderSitter: Pick<Sitter, 'id'> | null;
  /** the sending sitter has an active session on the receiving number (which is then one of our pool numbers) */
  senderHasSession: boolean;
  /** our inventory record of the receiving number; only needed when neither of the above answers */
  receivingNumber: Pick<InventoryNumber, 'lifecycle' | 'status'> | null;
}

export type UnroutedReason =
  /** the receiving number is neither a sitter's reserved number nor a ready pool number */
  | 'unknown_number'
  /** someone other than a sitter texted a pool number */
  | 'unknown_sender'
  /** the reserved number's sitter is inactive */
  | 'sitter_inactive'
  /** a sitter texted their own reserved number */
  | 'own_reserved_number';

export type InboundRoute =
  | { kind: 'carrier_keyword'; keyword: CarrierKeyword }
  | { kind: 'client_to_sitter' }
  | { kind: 'sitter_to_client' }
  /** a sitter texted a pool number whose conversation has ended: they get a notice */
  | { kind: 'sitter_without_session' }
  | { kind: 'unrouted'; reason: UnroutedReason };

const isReadyPool = (n: InboundFacts['receivingNumber']) => n?.lifecycle === 'pool' && n.status === 'ready';

/** SPEC 3.1/3.2: which way an inbound message goes, if anywhere. */
export function classifyInbound(facts: InboundFacts): InboundRoute {
  // Twilio has already acted on these (opt-out, opt-in, help); they are never chat.
  const keyword = detectCarrierKeyword(facts.body);
  if (keyword) return { kind: 'carrier_keyword', keyword };

  const owner = facts.reservedOwner;
  if (owner) {
    if (owner.phone === facts.from) return { kind: 'unrouted', reason: 'own_reserved_number' };
    if (owner.status === 'inactive') return { kind: 'unrouted', reason: 'sitter_inactive' };
    return { kind: 'client_to_sitter' };
  }
  if (facts.senderSitter && facts.senderHasSession) return { kind: 'sitter_to_client' };
  if (!isReadyPool(facts.receivingNumber)) return { kind: 'unrouted', reason: 'unknown_number' };
  return facts.senderSitter ? { kind: 'sitter_without_session' } : { kind: 'unrouted', reason: 'unknown_sender' };
}
