// Two projects: unit specs live beside the code, end-to-end specs in test/.
// Type errors are caught by `npm run typecheck`, so ts-jest skips diagnostics;
// the swagger plugin runs here too so /docs-json in e2e matches `nest build`.
const moduleNameMapper = {
  '^@maskline/(config|jobs|metrics|redis|store|telephony|twilio-simulator)$': '<rootDir>/libs/$1/src',
};
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      diagnostics: false,
      astTransformers: {
        before: ['<rootDir>/jest.swagger-transformer.js'],
      },
    },
  ],
};
// content-disposition 3 (under @fastify/static, under Bull Board) ships ESM only;
// Node 20 loads it through require(esm), Jest needs it transpiled to CommonJS.
transform['node_modules/content-disposition/.+\\.js$'] = ['ts-jest', { diagnostics: false, isolatedModules: true, tsconfig: { allowJs: true } }];
const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper,
};

module.exports = {
  testTimeout: 60000,
  testSequencer: '<rootDir>/jest.sequencer.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
