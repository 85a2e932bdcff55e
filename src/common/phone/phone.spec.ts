import { maskPhone, maskPhonesInText, toE164 } from './phone';

describe('phone helpers', () => {
  it('normalizes US numbers to E.164 and refuses invalid ones', () => {
    expect(toE164('(303) 555-0112')).toBe('+13035550112');
    expect(toE164('+1 720 555 0199')).toBe('+17205550199');
    expect(toE164('555')).toBeNull();
    expect(toE164('not a phone')).toBeNull();
    expect(toE164(undefined)).toBeNull();
  });

  it('masks to the last four digits', () => {
    expect(maskPhone('+13035550112')).toBe('***0112');
    expect(maskPhone('12')).toBe('****');
  });

  it('masks phones inside free text and URLs', () => {
    const text = 'from +13035550112 to (720) 555-0199 via /clients?phone=%2B13035550112 id 42';
    const masked = maskPhonesInText(text);
    expect(masked).not.toContain('3035550112');
    expect(masked).not.toContain('555-0199');
    expect(masked).toContain('***0112');
    expect(masked).toContain('id 42');
  });
});
