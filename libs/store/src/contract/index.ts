// Test-only: imported by driver specs, never by product code.
export { describeStoreContract } from './store-contract';
export { HOSTILE_STRINGS } from './hostile-input.contract';
export type { MakeStore, StorePorts } from './store-ports';
