import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['./test/helpers/webBuild.ts', './test/helpers/postgresGlobal.ts'],
    reporters: ['default', './test/helpers/summaryReporter.ts'],
  },
});
