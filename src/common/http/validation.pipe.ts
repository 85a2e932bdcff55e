import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldProblem, ValidationFailedError } from './app-errors';
import { hasForbiddenControl, isMultiLineField } from './text-policy';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// What a field declared as string/number/boolean accepts before conversion: form
// bodies and query strings carry everything as text, JSON may carry a number as an id.
const ACCEPTS = new Map<unknown, { what: string; types: string[] }>([
  [String, { what: 'a string', types: ['string', 'number'] }],
  [Number, { what: 'a number', types: ['number', 'string'] }],
  [Boolean, { what: 'true or false', types: ['boolean', 'string'] }],
]);

/**
 * Checks the raw values of a DTO's fields before anything converts them:
 * implicit conversion would turn `{"$gt": ""}` into "[object Object]" (or
 * throw on `{"toString": 1}`), so a value of the wrong JSON type is refused
 * here, naming the field; so is text that breaks the text policy.
 */
function rawValueProblems(dto: Type, body: Record<string, unknown>): FieldProblem[] {
  const fields = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName));
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const raw = body[field];
    if (raw === undefined || raw === null) continue;
    const accepts = ACCEPTS.get(Reflect.getMetadata('design:type', dto.prototype, field));
    if (accepts && !accepts.types.includes(typeof raw)) {
      problems.push({ field, messages: [`${field} must be ${accepts.what}, not ${jsonType(raw)}`] });
    } else if (typeof raw === 'string' && hasForbiddenControl(raw, isMultiLineField(dto.prototype, field))) {
      problems.push({ field, messages: [`${field} must not contain control characters (NUL, escape, ...)`] });
    }
  }
  return problems;
}

const isDto = (metatype?: Type): metatype is Type => !!metatype && ![String, Number, Boolean, Object, Array].includes(metatype as never);

/**
 * DTO validation for JSON and form bodies alike: form values arrive as
 * strings, so implicit conversion turns "5" into 5 before the checks run,
 * once the raw values have passed their JSON type and text checks.
 * Unknown fields are stripped (Zapier sends extra keys), never rejected.
 */
class ZapierValidationPipe extends ValidationPipe {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param' && typeof value === 'string' && hasForbiddenControl(value, false)) {
      throw ValidationFailedError.single(metadata.data ?? 'id', `${metadata.data ?? 'id'} must not contain control characters`);
    }
    if ((metadata.type === 'body' || metadata.type === 'query') && isDto(metadata.metatype) && value !== undefined) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw ValidationFailedError.single(metadata.type, `the request ${metadata.type} must be a JSON object or a form, not ${jsonType(value)}`);
      }
      const problems = rawValueProblems(metadata.metatype, value as Record<string, unknown>);
      if (problems.length) throw new ValidationFailedError([...problems, ...(await this.otherProblems(value as Record<string, unknown>, problems, metadata))]);
    }
    return super.transform(value, metadata);
  }

  /** every bad field is named at once: the rest of the body is still validated, without the fields already refused */
  private async otherProblems(value: Record<string, unknown>, refused: FieldProblem[], metadata: ArgumentMetadata): Promise<FieldProblem[]> {
    const named = new Set(refused.map((p) => p.field));
    const rest = Object.fromEntries(Object.entries(value).filter(([key]) => !named.has(key)));
    try {
      await super.transform(rest, metadata);
      return [];
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
      return error.fields.filter((p) => !named.has(p.field));
    }
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ZapierValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    transformOptions: { enableImplicitConversion: true },
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });
}
