/**
 * One text policy for everything that reaches the store or Twilio: no NUL or
 * other control character (PostgreSQL refuses NUL in text; the rest only
 * hides things from whoever reads the record or the SMS). Newline, carriage
 * return and tab stay allowed in multi-line free text: message bodies,
 * addresses, reasons, details. Zapier routes refuse such text (400 naming
 * the field); Twilio webhooks strip it, since what a phone sent must still
 * be relayed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANY_CONTROL = /[\u0000-\u001F\u007F]/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const MULTI_LINE = 'maskline:multi-line-text';

/** marks a DTO field whose text may span lines */
export const MultiLineText = (): PropertyDecorator => (target, key) => Reflect.defineMetadata(MULTI_LINE, true, target, key);

export function isMultiLineField(dto: object, key: string): boolean {
  return Reflect.getMetadata(MULTI_LINE, dto, key) === true;
}

export function hasForbiddenControl(text: string, multiLine: boolean): boolean {
  const pattern = multiLine ? CONTROL_BUT_LINES : ANY_CONTROL;
  pattern.lastIndex = 0;
  return pattern.test(text);
}

export function stripControl(text: string, multiLine: boolean): string {
  return text.replace(multiLine ? CONTROL_BUT_LINES : ANY_CONTROL, '');
}
