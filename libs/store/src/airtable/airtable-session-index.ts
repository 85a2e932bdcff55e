import { Session } from '../domain';

/**
 * Read-cache names for sessions, shared by the session repository and the
 * client merge (which moves sessions between clients).
 */
export const pairLookup = (clientId: string, sitterId: string) => `${clientId}|${sitterId}`;
export const poolLookup = (sitterId: string, poolNumber: string) => `${sitterId}|${poolNumber}`;

/** a session's lookups and the id each should now name: closed sessions name nothing */
export function sessionLookups(s: Session): [string, string, string | null][] {
  const id = s.status === 'active' ? s.id : null;
  return [
    ['pair', pairLookup(s.clientId, s.sitterId), id],
    ['pool', poolLookup(s.sitterId, s.poolNumber), id],
  ];
}

/** the active sessions of one sitter, as the pool allocation sees them (versioned list) */
export const activeListKey = (sitterId: string) => `sessions:active:${sitterId}`;
export const activeListVersion = (sitterId: string) => `sessions:active-version:${sitterId}`;

export const isActiveMatch = (s: Session, clientId: string, sitterId: string) =>
  s.status === 'active' && s.clientId === clientId && s.sitterId === sitterId;
