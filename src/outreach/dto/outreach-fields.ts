import { applyDecorators } from '@nestjs/common';
import { Transform, TransformFnParams } from 'class-transformer';
import { IsIn, IsString, IsUUID, Matches, MaxLength, ValidateBy, ValidationArguments } from 'class-validator';
import { OutreachStatus } from '../outreach-conversations.port';

/**
 * Field rules shared by the outreach DTOs. Every transform reads the raw
 * value (`obj[key]`): the global pipe's implicit conversion would already
 * have turned an object into "[object Object]" or a huge JSON number into a
 * rounded one. What a rule cannot read is kept as it came, so its check
 * fails and names the field.
 */

const BIGINT_MAX = 2n ** 63n - 1n;
const E164 = /^\+[1-9]\d{6,14}$/;

/** A BIGINT id as a canonical digit string: safe JSON integers and digit strings; anything else unchanged. */
export function toBigintId(raw: unknown): unknown {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? String(raw) : raw;
  if (typeof raw !== 'string') return raw === null ? undefined : raw;
  const text = raw.trim();
  if (text === '') return undefined;
  return /^\d{1,64}$/.test(text) ? BigInt(text).toString() : text;
}

export function isBigintId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= BIGINT_MAX;
}

function bigintIdProblem({ property, value }: ValidationArguments): string {
  // JSON.parse has already rounded it: 9007199254740993 arrives as ...992
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
    return `${property} is a JSON number above 2^53 and has lost precision in parsing: send it as a string of digits`;
  }
  return `${property} must be a positive integer up to 9223372036854775807 (a number, or a string of digits)`;
}

/** Required (or, after @IsOptional, optional) BIGINT id such as coordinator_sax_id; carried as a string. */
export const IsBigintId = () =>
  applyDecorators(
    Transform(({ obj, key }: TransformFnParams) => toBigintId(obj[key])),
    ValidateBy({ name: 'isBigintId', validator: { validate: isBigintId, defaultMessage: bigintIdProblem } }),
  );

/** Text as sent (trimmed); blank or null means absent. */
function text({ obj, key }: TransformFnParams): unknown {
  const raw: unknown = obj[key];
  if (typeof raw !== 'string') return raw === null ? undefined : raw;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

export const IsUuidField = (field: string) =>
  applyDecorators(
    Transform((params: TransformFnParams) => {
      const value = text(params);
      return typeof value === 'string' ? value.toLowerCase() : value;
    }),
    IsUUID('all', { message: `${field} must be a UUID such as 0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e` }),
  );

export const IsE164Phone = (field: string) =>
  applyDecorators(
    Transform(text),
    IsString({ message: `${field} must be a string` }),
    MaxLength(20, { message: `${field} must be at most 20 characters` }),
    Matches(E164, { message: `${field} must be an E.164 phone number such as +13035550123` }),
  );

export const IsConversationSid = (field: string) =>
  applyDecorators(
    Transform(text),
    IsString({ message: `${field} must be a string` }),
    MaxLength(34, { message: `${field} must be at most 34 characters` }),
    Matches(/^CH[0-9a-fA-F]{32}$/, { message: `${field} must be a Twilio conversation SID: CH followed by 32 hex digits` }),
  );

/** Free text up to `max` characters (control characters are refused by the validation pipe's text policy). */
export const IsBoundedText = (field: string, max: number) =>
  applyDecorators(Transform(text), IsString({ message: `${field} must be a string` }), MaxLength(max, { message: `${field} must be at most ${max} characters` }));

export const OUTREACH_STATUSES: OutreachStatus[] = ['active', 'archived', 'closed'];

export const IsOutreachStatus = () =>
  applyDecorators(Transform(text), IsIn(OUTREACH_STATUSES, { message: `status must be one of ${OUTREACH_STATUSES.join(', ')}` }));
