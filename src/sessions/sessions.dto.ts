import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Open a session for a known client and sitter before the client's first text (Zapier). */
export class OpenSessionDto {
  /**
   * The client's id (as answered by POST /clients/sync or GET /clients/:id)
   * @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11"
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  client_id!: string;

  /**
   * The sitter's id (as answered by POST /sitters)
   * @example "0f5e3c1a-2b7d-4c55-8e0b-9d1f2a3b4c5d"
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sitter_id!: string;
}

/** A masked conversation between one client and one sitter. */
export class SessionDto {
  /** @example "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f" */
  session_id!: string;
  /** @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11" */
  client_id!: string;
  /** @example "0f5e3c1a-2b7d-4c55-8e0b-9d1f2a3b4c5d" */
  sitter_id!: string;
  /**
   * The shared number the sitter sees this client through
   * @example "+17205550142"
   */
  pool_number!: string;
  /**
   * The sitter's masked number the client texts
   * @example "+13035550100"
   */
  reserved_number!: string;
  /** @example "active" */
  status!: 'active' | 'closed';
  /** @example "2025-03-01T15:04:05.000Z" */
  last_activity_at!: string;
  /** @example "2025-02-20T09:00:00.000Z" */
  created_at!: string;
  /** @example null */
  closed_at!: string | null;
  /**
   * Why it closed: `expired` (no messages for SESSION_TTL_DAYS), `closed_by_api`, ...
   * @example null
   */
  close_reason!: string | null;
}

/** POST /sessions answer: the session, and whether this call opened it. */
export class OpenedSessionDto extends SessionDto {
  /** @example true */
  success!: boolean;
  /**
   * `created` (201) or `existing` (200: the pair already had an active session)
   * @example "created"
   */
  action!: 'created' | 'existing';
}

/** For the pool capacity Zap and dashboards. */
export class ActiveSessionCountDto {
  /** @example 17 */
  active_sessions!: number;
  /** @example 240 */
  total_sessions!: number;
  /** @example "2025-03-01T15:04:05.000Z" */
  timestamp!: string;
}
