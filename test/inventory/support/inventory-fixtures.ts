import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AuditLog, ClientRepository, InventoryNumber, MessageLog, NumberRepository, SessionRepository, SitterRepository, StoreHealth } from '@maskline/store';
import { addClient, addReadyPool, addSitterWithReservedNumber, openSession } from '../../../libs/store/src/contract/fixtures';
import { StorePorts } from '../../../libs/store/src/contract/store-ports';
import { TestApp } from '../../support/test-app';

/** The store ports of a running app, as the store's own fixtures take them. */
export function storeOf(app: INestApplication): StorePorts {
  return {
    sitters: app.get(SitterRepository),
    clients: app.get(ClientRepository),
    numbers: app.get(NumberRepository),
    sessions: app.get(SessionRepository),
    messages: app.get(MessageLog),
    audit: app.get(AuditLog),
    health: app.get(StoreHealth),
  };
}

/** `ready` ready pool numbers and `active` active sessions (one sitter, one client per session). */
export async function seedPool(app: INestApplication, ready: number, active: number): Promise<void> {
  const ports = storeOf(app);
  await addReadyPool(ports, ready);
  if (active === 0) return;
  const sitter = await addSitterWithReservedNumber(ports);
  for (let i = 0; i < active; i++) await openSession(ports, await addClient(ports, sitter.id), sitter);
}

/** Polls GET /numbers/:id until the record leaves `pending`. */
export async function waitForSettled(t: TestApp, numberId: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(t.url).get(`/numbers/${numberId}`).set(t.auth).expect(200);
    if (res.body.status !== 'pending') return res.body;
    if (Date.now() > deadline) throw new Error(`number ${numberId} still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function poolRecords(app: INestApplication): Promise<InventoryNumber[]> {
  return (await app.get(NumberRepository).listRecent(500)).filter((n) => n.lifecycle === 'pool');
}

export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
