import { defineConfig } from 'vitest/config'

// Three projects: fast pure unit tests; integration tests on real databases
// (one embedded PGlite+PostGIS instance per worker, shared across files, so
// files run in one worker without module isolation); end-to-end tests in
// headless Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          environment: 'node',
          // PGlite with PostGIS takes ~10 s to start: one instance for the
          // whole project, so one worker and no per-file module isolation.
          isolate: false,
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
})
