import { Sitter } from '../../domain';
import { SitterRow } from '../schema';

export function toSitter(row: SitterRow): Sitter {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    status: row.status,
    reservedNumber: row.reservedNumber,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
