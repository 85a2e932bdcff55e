import { toErrorResponse } from './error-response';

describe('toErrorResponse: a dependency that did not answer', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['PostgreSQL shutting down', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a wrapped cause', new Error('query failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })],
  ])('%s is a 503 to retry, not a 500', (_what, error) => {
    const answer = toErrorResponse(error);
    expect(answer.status).toBe(503);
    expect(answer.body.details).toMatchObject({ code: 'dependency_unavailable' });
    expect(answer.headers['Retry-After']).toBe('5');
  });

  it('a programming error stays a bare 500', () => {
    expect(toErrorResponse(new TypeError('x is undefined')).status).toBe(500);
  });
});
