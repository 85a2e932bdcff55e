import { IsInt, IsOptional, IsString } from 'class-validator';
import { ValidationFailedError } from './app-errors';
import { MultiLineText, stripControl } from './text-policy';
import { createValidationPipe } from './validation.pipe';

class NoteDto {
  @IsString()
  name!: string;

  @IsOptional()
  @IsInt()
  count?: number;

  @IsOptional()
  @IsString()
  @MultiLineText()
  notes?: string;
}

const pipe = createValidationPipe();
const body = (value: unknown) => pipe.transform(value, { type: 'body', metatype: NoteDto });
const fieldsOf = async (value: unknown) => ((await body(value).catch((e: ValidationFailedError) => e)) as ValidationFailedError).details.fields as Record<string, string[]>;

describe('validation pipe: raw values and the text policy', () => {
  it('refuses values of the wrong JSON type before conversion, naming each field', async () => {
    expect(await fieldsOf({ name: { toString: 'x' }, count: true })).toEqual({ name: ['name must be a string, not an object'], count: ['count must be a number, not a boolean'] });
    expect(await fieldsOf({ name: ['a'] })).toEqual({ name: ['name must be a string, not an array'] });
  });

  it('refuses a body that is not an object', async () => {
    for (const value of [null, [], 42, 'text']) await expect(body(value)).rejects.toBeInstanceOf(ValidationFailedError);
  });

  it('converts form text and JSON numbers as before', async () => {
    await expect(body({ name: 'Ann', count: '5' })).resolves.toMatchObject({ name: 'Ann', count: 5 });
    await expect(body({ name: 1234 })).resolves.toMatchObject({ name: '1234' });
  });

  it('refuses control characters, allowing line breaks and tabs in multi-line text only', async () => {
    expect(Object.keys(await fieldsOf({ name: 'A\u0000B' }))).toEqual(['name']);
    expect(Object.keys(await fieldsOf({ name: 'A\nB' }))).toEqual(['name']);
    await expect(body({ name: 'Ann', notes: 'line one\r\n\tline two' })).resolves.toMatchObject({ notes: 'line one\r\n\tline two' });
    expect(Object.keys(await fieldsOf({ name: 'Ann', notes: 'bell\u0007' }))).toEqual(['notes']);
  });

  it('strips what a webhook may not keep', () => {
    expect(stripControl('Hi\u0000 there\nnext\u001b', true)).toBe('Hi there\nnext');
    expect(stripControl('SM1\n\u0000', false)).toBe('SM1');
  });
});
