import type { Client } from '@maskline/store';

/** A client's "last active" is shown to the minute; writing it more often buys nothing. */
export const CLIENT_ACTIVITY_RESOLUTION_MS = 60_000;

/**
 * Whether a message from this client should update its last activity and
 * linked sitter. Skipping the write inside the same minute saves a store
 * write per message in a busy conversation (a request against Airtable's
 * 5/s budget); a change of sitter is always written.
 */
export function shouldRecordClientActivity(client: Pick<Client, 'lastActiveAt' | 'sitterId'>, sitterId: string, now: Date): boolean {
  if (client.sitterId !== sitterId || !client.lastActiveAt) return true;
  return now.getTime() - client.lastActiveAt.getTime() >= CLIENT_ACTIVITY_RESOLUTION_MS;
}
