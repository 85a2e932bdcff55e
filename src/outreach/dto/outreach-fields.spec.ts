import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { OpenConversationDto } from './open-conversation.dto';

/** As the global ValidationPipe reads a body (implicit conversion on, unknown fields stripped). */
function read(body: Record<string, unknown>) {
  const dto = plainToInstance(OpenConversationDto, body, { enableImplicitConversion: true });
  const errors = validateSync(dto, { whitelist: true, forbidUnknownValues: false });
  return { dto, problems: Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})])) };
}

const valid = { tenant_id: '7D0F3A52-2C4B-4F7E-9A61-0E8B5C3D2F10', practice_id: '0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e', coordinator_sax_id: 42, patient_phone: '+17205550123' };

describe('OpenConversationDto', () => {
  it('carries BIGINT ids as canonical digit strings and UUIDs in lowercase', () => {
    expect(read(valid)).toEqual({ dto: expect.objectContaining({ coordinator_sax_id: '42', tenant_id: valid.tenant_id.toLowerCase() }), problems: {} });
    expect(read({ ...valid, coordinator_sax_id: ' 0009223372036854775807 ' }).dto.coordinator_sax_id).toBe('9223372036854775807');
    expect(read({ ...valid, created_by: Number.MAX_SAFE_INTEGER }).dto.created_by).toBe(String(Number.MAX_SAFE_INTEGER));
  });

  it.each([
    [0, /positive integer/],
    ['-3', /positive integer/],
    [1.5, /positive integer/],
    ['1e3', /positive integer/],
    ['9223372036854775808', /positive integer up to 9223372036854775807/],
    [2 ** 53 + 2, /lost precision in parsing: send it as a string/],
    [true, /positive integer/],
    [{ n: 1 }, /positive integer/],
  ])('coordinator_sax_id %p is refused', (value, message) => {
    const { problems } = read({ ...valid, coordinator_sax_id: value });
    expect(Object.keys(problems)).toEqual(['coordinator_sax_id']);
    expect(problems.coordinator_sax_id.join()).toMatch(message);
  });

  it('blank or null optional fields are absent; unknown fields are dropped', () => {
    const { dto, problems } = read({ ...valid, friendly_name: '  ', twilio_sid: null, created_by: '', extra: 'x' });
    expect(problems).toEqual({});
    expect(dto).not.toHaveProperty('extra');
    expect([dto.friendly_name, dto.twilio_sid, dto.created_by]).toEqual([undefined, undefined, undefined]);
  });
});
