import { randomBytes } from 'node:crypto';
import { Client, InventoryNumber, Lifecycle, Session, Sitter } from '../domain';
import { OpenSessionResult } from '../ports';
import { StorePorts } from './store-ports';

/**
 * Builders shared by the contract sections. Phones come from one counter so no
 * two records in a test collide; every test starts from an empty store anyway.
 */
let phoneCounter = 0;
const phoneBase = 1_000_000 + Math.floor(Math.random() * 1_000_000);

/** a distinct E.164 phone in a fictional 555 range */
export function nextPhone(areaCode = '303'): string {
  phoneCounter += 1;
  return `+1${areaCode}${String((phoneBase + phoneCounter) % 10_000_000).padStart(7, '0')}`;
}

/** Twilio-shaped SID: two letters and 32 hex digits */
export function fakeSid(prefix: 'PN' | 'SM' | 'MM' = 'PN'): string {
  return prefix + randomBytes(16).toString('hex');
}

export async function addSitter(ports: StorePorts, name = 'Sam Sitter'): Promise<Sitter> {
  return (await ports.sitters.upsertByPhone({ name, phone: nextPhone('720'), email: null })).sitter;
}

export async function addClient(ports: StorePorts, sitterId: string | null = null): Promise<Client> {
  return (await ports.clients.findOrCreateByPhone(nextPhone(), sitterId)).client;
}

export interface ReadyNumberOptions {
  sitterId?: string | null;
  /** purchase time, so tests can control "oldest purchase first" */
  purchasedAt?: Date;
}

/** a number bought and verified: createPending + markReady */
export async function addReadyNumber(
  ports: StorePorts,
  lifecycle: Lifecycle,
  options: ReadyNumberOptions = {},
): Promise<InventoryNumber> {
  const [pending] = await ports.numbers.createPending([{ lifecycle, areaCode: '303', sitterId: options.sitterId ?? null }]);
  return ports.numbers.markReady(pending.id, {
    phoneNumber: nextPhone(),
    twilioSid: fakeSid(),
    purchasedAt: options.purchasedAt ?? new Date(),
    verificationResult: 'sms_webhook_set',
  });
}

/** `count` ready pool numbers purchased one minute apart, oldest first */
export async function addReadyPool(ports: StorePorts, count: number): Promise<InventoryNumber[]> {
  const start = Date.UTC(2024, 0, 1);
  const numbers: InventoryNumber[] = [];
  for (let i = 0; i < count; i += 1) {
    numbers.push(await addReadyNumber(ports, 'pool', { purchasedAt: new Date(start + i * 60_000) }));
  }
  return numbers;
}

/** a sitter with a reserved number R, ready to open sessions */
export async function addSitterWithReservedNumber(ports: StorePorts, name = 'Sam Sitter'): Promise<Sitter> {
  const sitter = await addSitter(ports, name);
  const reserved = await addReadyNumber(ports, 'reserved', { sitterId: sitter.id });
  return ports.sitters.setReservedNumber(sitter.id, reserved.phoneNumber, 'active');
}

/** the client texts the sitter's reserved number: openOrGet as the relay calls it */
export function tryOpenSession(ports: StorePorts, client: Client, sitter: Sitter, now = new Date()): Promise<OpenSessionResult> {
  return ports.sessions.openOrGet({ clientId: client.id, sitterId: sitter.id, reservedNumber: sitter.reservedNumber ?? '+13035550000', now });
}

/** like tryOpenSession, for tests where the pool has room */
export async function openSession(ports: StorePorts, client: Client, sitter: Sitter, now = new Date()): Promise<Session> {
  const result = await tryOpenSession(ports, client, sitter, now);
  if (result.outcome === 'exhausted') throw new Error('expected a session, the pool was exhausted');
  return result.session;
}

/** lands write-behind queues (Airtable) before a read */
export async function settle(ports: StorePorts): Promise<void> {
  await ports.flush?.();
}

/**
 * An id that is well-formed for the driver but names no record of the entity
 * under test: the id of a record of ANOTHER entity (ids are opaque per driver).
 */
export async function foreignId(ports: StorePorts, kind: 'sitter' | 'client'): Promise<string> {
  return kind === 'sitter' ? (await addSitter(ports, 'Not A Client')).id : (await addClient(ports)).id;
}

export function minutesAfter(base: Date, minutes: number): Date {
  return new Date(base.getTime() + minutes * 60_000);
}
