/** Jest projects: one per package for unit tests, and the integration tier against the live network. */
const tsJest = (pkg) => ({
  '^.+\\.ts$': ['ts-jest', { tsconfig: `<rootDir>/${pkg}/tsconfig.test.json` }],
});

/** @type {import('jest').Config} */
module.exports = {
  // Global option (ignored inside projects): the integration files tell one story in name order.
  testSequencer: '<rootDir>/gateway/test/integration/sequencer.js',
  projects: [
    {
      displayName: 'chaincode',
      testEnvironment: 'node',
      rootDir: __dirname,
      // Generated network state (ledgers hold Raft *.snap files that Jest would take for snapshots) and Caliper.
      modulePathIgnorePatterns: ['<rootDir>/network/state', '<rootDir>/bench', '<rootDir>/artifacts'],
      testMatch: ['<rootDir>/chaincode/test/**/*.test.ts'],
      transform: tsJest('chaincode'),
    },
    {
      displayName: 'gateway',
      testEnvironment: 'node',
      rootDir: __dirname,
      // Generated network state (ledgers hold Raft *.snap files that Jest would take for snapshots) and Caliper.
      modulePathIgnorePatterns: ['<rootDir>/network/state', '<rootDir>/bench', '<rootDir>/artifacts'],
      testMatch: ['<rootDir>/gateway/test/unit/**/*.test.ts'],
      transform: tsJest('gateway'),
    },
    {
      displayName: 'network',
      testEnvironment: 'node',
      rootDir: __dirname,
      // Generated network state (ledgers hold Raft *.snap files that Jest would take for snapshots) and Caliper.
      modulePathIgnorePatterns: ['<rootDir>/network/state', '<rootDir>/bench', '<rootDir>/artifacts'],
      testMatch: ['<rootDir>/network/test/**/*.test.ts'],
      transform: tsJest('network'),
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      rootDir: __dirname,
      // Generated network state (ledgers hold Raft *.snap files that Jest would take for snapshots) and Caliper.
      modulePathIgnorePatterns: ['<rootDir>/network/state', '<rootDir>/bench', '<rootDir>/artifacts'],
      testMatch: ['<rootDir>/gateway/test/integration/**/*.test.ts'],
      transform: tsJest('gateway'),
      globalSetup: '<rootDir>/gateway/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/gateway/test/integration/global-teardown.ts',
      setupFiles: ['<rootDir>/gateway/test/integration/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/gateway/test/integration/timeouts.ts'],
    },
  ],
};
