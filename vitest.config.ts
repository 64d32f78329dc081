import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration', include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/setup/meili.ts'], testTimeout: 30_000, hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e', include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/setup/meili.ts', 'tests/setup/oidc.ts', 'tests/setup/server.ts'], testTimeout: 60_000, hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
