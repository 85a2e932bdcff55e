/** Every simulated Twilio operation, by name: the unit faults and latency attach to. */
export const SIM_OPERATIONS = [
  'numbers.search',
  'numbers.buy',
  'numbers.list',
  'numbers.fetch',
  'numbers.update',
  'numbers.release',
  'messages.create',
  'messages.list',
  'messages.fetch',
  'messaging.services.create',
  'messaging.services.fetch',
  'messaging.phoneNumbers.create',
  'messaging.phoneNumbers.list',
  'messaging.phoneNumbers.delete',
  'proxy.services.create',
  'proxy.services.fetch',
  'proxy.phoneNumbers.create',
  'proxy.phoneNumbers.update',
  'proxy.phoneNumbers.delete',
  'proxy.sessions.create',
  'proxy.sessions.fetch',
  'proxy.sessions.update',
  'proxy.participants.create',
  'proxy.participants.list',
  'proxy.messageInteractions.create',
  'proxy.messageInteractions.list',
  'conversations.create',
  'conversations.fetch',
  'conversations.update',
  'conversations.delete',
  'conversations.participants.create',
  'conversations.participantConversations.list',
] as const;

export type SimOperation = (typeof SIM_OPERATIONS)[number];
type Family<T extends string> = T extends `${infer F}.${string}` ? F : never;
/** One operation, every operation of a family (`'proxy.*'`), or everything (`'*'`). */
export type SimOperationPattern = SimOperation | `${Family<SimOperation>}.*` | '*';

export function operationMatches(pattern: SimOperationPattern, op: SimOperation): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return op.startsWith(pattern.slice(0, -1));
  return pattern === op;
}

export function isOperationPattern(value: unknown): value is SimOperationPattern {
  if (typeof value !== 'string') return false;
  return value === '*' || SIM_OPERATIONS.some((op) => op === value || (value.endsWith('.*') && op.startsWith(value.slice(0, -1))));
}
