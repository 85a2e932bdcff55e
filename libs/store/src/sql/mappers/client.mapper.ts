import { Client } from '../../domain';
import { ClientRow } from '../schema';

export function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    timeToPetId: row.timeToPetId,
    email: row.email,
    address: row.address,
    sitterId: row.sitterId,
    lastActiveAt: row.lastActiveAt,
    source: row.source,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
