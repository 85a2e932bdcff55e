import { randomBytes } from 'node:crypto';

/**
 * Twilio SID prefixes the simulator hands out. A SID is two letters and 32
 * lowercase hex digits, the shape the SDK and the app's validators expect.
 */
export type SidPrefix =
  | 'PN' // incoming phone number
  | 'SM' // SMS message
  | 'MM' // MMS message (a message with media)
  | 'KS' // Proxy service
  | 'KC' // Proxy session
  | 'KP' // Proxy participant
  | 'KI' // Proxy interaction
  | 'CH' // conversation
  | 'MB' // conversation participant
  | 'IS' // conversations chat service
  | 'MG' // messaging service
  | 'RL'; // conversations role

export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}

export function isSid(value: string, prefix: SidPrefix): boolean {
  return new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value);
}
