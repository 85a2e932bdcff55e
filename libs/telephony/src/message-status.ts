/**
 * Where a Twilio message status sits in its life (queued → sending → sent →
 * delivered|undelivered|failed → read); undefined for a status that is not a
 * step of an outbound message. Callbacks arrive out of order, so a status
 * only ever moves to a higher rank.
 */
const STATUS_RANK: Record<string, number> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  read: 5,
};

export function messageStatusRank(status: string): number | undefined {
  return STATUS_RANK[status];
}
