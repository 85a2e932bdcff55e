import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TwilioSimulator } from '@maskline/twilio-simulator';
import { TEST_API_KEY } from '../../support/test-app';

export const PATIENT = '+17205550123';

/** A fresh tenant + practice per test, so tests never see each other's rows. */
export function newPractice(): { tenant_id: string; practice_id: string } {
  return { tenant_id: randomUUID(), practice_id: randomUUID() };
}

export interface OpenBody {
  tenant_id: string;
  practice_id: string;
  coordinator_sax_id: string | number;
  patient_phone: string;
  friendly_name?: string;
  twilio_sid?: string;
  created_by?: string | number;
}

/** POST /outreach/conversations against an app's base URL */
export function openConversation(url: string, body: unknown, headers: Record<string, string> = {}) {
  return request(url)
    .post('/outreach/conversations')
    .set({ 'x-api-key': TEST_API_KEY, ...headers })
    .send(body as object);
}

export function outreachGet(url: string, path: string) {
  return request(url).get(path).set({ 'x-api-key': TEST_API_KEY });
}

export function outreachPost(url: string, path: string) {
  return request(url).post(path).set({ 'x-api-key': TEST_API_KEY });
}

/** The simulator's conversations that are not closed and bind this phone (through any sender). */
export function openConversationsBinding(sim: TwilioSimulator, phone: string): string[] {
  const open = new Set(sim.conversations.filter((c) => c.state !== 'closed').map((c) => c.sid));
  return [...new Set(sim.conversationParticipants.filter((p) => p.address === phone && open.has(p.conversationSid)).map((p) => p.conversationSid))];
}
