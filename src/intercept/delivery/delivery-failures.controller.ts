import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { ZapierQuery } from '../../common/auth/route-kinds.decorator';
import { ErrorBodyDto } from '../../common/http/error-body.dto';
import { DeliveryFailureService } from './delivery-failure.service';
import type { ListedFailure } from './delivery-failure-log';

/** GET /messages/failures query */
export class ListFailuresDto {
  /**
   * Failures at or after this instant (ISO 8601); default: the last 24 hours
   * @example "2025-06-01T00:00:00Z"
   */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time such as 2025-06-01T00:00:00Z' })
  since?: string;

  /**
   * At most this many, oldest first, 1 to 500 (default 100)
   * @example 100
   */
  @IsOptional()
  @Transform(({ obj, key }) => (typeof obj[key] === 'string' && /^\d{1,4}$/.test(obj[key]) ? Number(obj[key]) : obj[key]))
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit?: number;
}

/** One failed message. */
export class DeliveryFailureDto {
  /** @example "SM0123456789abcdef0123456789abcdef" */
  message_sid!: string;
  /** @example "2025-06-01T14:03:00.000Z" */
  failed_at!: string;
  /** @example "undelivered" */
  status!: string;
  /** @example "30003" */
  error_code!: string | null;
  /** @example "Unreachable destination handset" */
  meaning!: string;
  /** client_to_sitter, sitter_to_client, system_notice or alert @example "client_to_sitter" */
  direction!: string;
  /** @example "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f" */
  session_id!: string | null;
  /** @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11" */
  client_id!: string | null;
  /** the client's name as sitters see it, or `Client ...0112`; never a whole number @example "Alice Smith" */
  client_label!: string | null;
  /** permanent failures counted on this client @example 2 */
  client_failures!: number;
  /** retry (temporary code), alert_sitter or record @example "retry" */
  action!: string;
  /** none, scheduled, sent, delivered or failed @example "scheduled" */
  retry_state!: string;
  /** the retry's own message, once sent */
  retry_message_sid!: string | null;
  /** set on a retry that failed in turn: the message it retried */
  retry_of!: string | null;
}

export class DeliveryFailureListDto {
  /** @example "2025-06-01T00:00:00.000Z" */
  since!: string;
  /** @example 1 */
  count!: number;
  failures!: DeliveryFailureDto[];
}

const DEFAULT_LOOKBACK_MS = 24 * 3600_000;

@ApiTags('messages')
@Controller('messages/failures')
export class DeliveryFailuresController {
  constructor(private readonly failures: DeliveryFailureService) {}

  @Get()
  @ZapierQuery()
  @ApiOperation({ summary: 'Recent delivery failures of relayed messages: code, meaning, client label and retry state (Zapier, ops)' })
  @ApiOkResponse({ type: DeliveryFailureListDto })
  @ApiResponse({ status: 400, type: ErrorBodyDto, description: 'since is not an ISO 8601 date-time, or limit is out of range' })
  async list(@Query() query: ListFailuresDto): Promise<DeliveryFailureListDto> {
    const since = query.since ? new Date(query.since) : new Date(Date.now() - DEFAULT_LOOKBACK_MS);
    const failures = await this.failures.listSince(since, query.limit ?? 100);
    return { since: since.toISOString(), count: failures.length, failures: failures.map(toFailureDto) };
  }
}

function toFailureDto(f: ListedFailure): DeliveryFailureDto {
  return {
    message_sid: f.messageSid,
    failed_at: f.failedAt,
    status: f.status,
    error_code: f.errorCode,
    meaning: f.meaning,
    direction: f.direction,
    session_id: f.sessionId,
    client_id: f.clientId,
    client_label: f.clientLabel,
    client_failures: f.clientFailures,
    action: f.action,
    retry_state: f.retryState,
    retry_message_sid: f.retryMessageSid,
    retry_of: f.retryOf,
  };
}
