import { shouldRecordClientActivity } from './client-activity';

describe('shouldRecordClientActivity', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  const at = (isoTime: string) => new Date(`2025-03-01T${isoTime}Z`);

  it('records a client never seen active, or now writing to another sitter', () => {
    expect(shouldRecordClientActivity({ lastActiveAt: null, sitterId: 's1' }, 's1', now)).toBe(true);
    expect(shouldRecordClientActivity({ lastActiveAt: at('11:59:59'), sitterId: null }, 's1', now)).toBe(true);
    expect(shouldRecordClientActivity({ lastActiveAt: at('11:59:59'), sitterId: 's2' }, 's1', now)).toBe(true);
  });

  it('skips a write within the same minute, records once a minute has passed', () => {
    expect(shouldRecordClientActivity({ lastActiveAt: at('11:59:30'), sitterId: 's1' }, 's1', now)).toBe(false);
    expect(shouldRecordClientActivity({ lastActiveAt: at('11:59:00'), sitterId: 's1' }, 's1', now)).toBe(true);
  });
});
