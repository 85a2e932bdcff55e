import { redactForLog } from './logger.options';

describe('redactForLog', () => {
  it('masks phones, drops bodies and secrets, keeps the rest', () => {
    const out = redactForLog({
      msg: 'relayed +13035550112',
      Body: 'my door code is 4411',
      nested: { to: '+17205550199', authorization: 'Bearer abc', count: 3 },
      list: ['+13035550112'],
    }) as any;
    expect(JSON.stringify(out)).not.toMatch(/3035550112|7205550199|door code|Bearer abc/);
    expect(out.nested.count).toBe(3);
    expect(out.nested.to).toBe('***0199');
    expect(out.Body).toBe('[redacted]');
  });
});

describe('redactForLog on framework objects', () => {
  it('leaves class instances (raw req/res) to their serializers', () => {
    class Raw {
      url = '/x?phone=+13035550112';
    }
    const raw = new Raw();
    const out = redactForLog({ req: raw, msg: 'to +13035550112' }) as any;
    expect(out.req).toBe(raw);
    expect(out.msg).toBe('to ***0112');
  });
});
