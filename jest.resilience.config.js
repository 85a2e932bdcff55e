// `npm run test:resilience`: real OS processes (built dist/, a Redis and a
// PostgreSQL database of each scenario's own, the simulator in its own
// process) under faults. Not part of `npm test`; `.ci/run` runs it after.
const root = require('./jest.config.js');
const e2e = root.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'resilience',
  testMatch: ['<rootDir>/test/resilience/**/*.resilience-spec.ts'],
  testTimeout: 10 * 60_000,
};
