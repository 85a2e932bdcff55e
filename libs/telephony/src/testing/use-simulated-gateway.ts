import { SimulatedGateway, startSimulatedGateway } from './simulated-gateway';

/**
 * Jest wiring for a spec file: one simulated gateway for the file (started in
 * beforeAll, stopped in afterAll) and a clean simulator before each test. The
 * answer reads through to it, so use it inside tests only.
 */
export function useSimulatedGateway(options: Parameters<typeof startSimulatedGateway>[0] = {}): SimulatedGateway {
  let current: SimulatedGateway | undefined;
  beforeAll(async () => {
    current = await startSimulatedGateway(options);
  });
  afterAll(() => current?.stop());
  beforeEach(() => current?.simulator.reset());
  const live = (): SimulatedGateway => {
    if (!current) throw new Error('useSimulatedGateway: the simulator starts in beforeAll; use it inside tests');
    return current;
  };
  return {
    get simulator() {
      return live().simulator;
    },
    get gateway() {
      return live().gateway;
    },
    get accountSid() {
      return live().accountSid;
    },
    get authToken() {
      return live().authToken;
    },
    stop: () => live().stop(),
  };
}
