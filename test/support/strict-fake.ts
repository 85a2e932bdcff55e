/**
 * A fake of a port whose every method is a jest.fn with the behaviour given;
 * touching any other method fails the test at once (a call the test did not
 * expect is a bug, not a default answer).
 */
export type Fake<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? jest.Mock<R, A> : T[K] };

export function strictFake<T extends object>(name: string, methods: { [K in keyof T]?: T[K] } = {}): Fake<T> & T {
  const mocks = Object.fromEntries(Object.entries(methods).map(([key, impl]) => [key, jest.fn(impl as (...args: unknown[]) => unknown)]));
  return new Proxy(mocks, {
    get(target, prop) {
      if (typeof prop === 'symbol' || prop === 'then' || prop === 'asymmetricMatch' || prop === 'nodeType' || prop === 'toJSON') return undefined;
      if (!(prop in target)) throw new Error(`${name}.${prop} was called but the test did not expect it`);
      return target[prop];
    },
  }) as unknown as Fake<T> & T;
}
