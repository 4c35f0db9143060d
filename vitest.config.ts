import { defineConfig } from 'vitest/config';

const shared = {
  resolve: { conditions: ['@fileforge/source'] },
  ssr: { resolve: { conditions: ['@fileforge/source'] } },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: { name: 'core', root: 'packages/core', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        ...shared,
        test: {
          name: 'processors',
          root: 'packages/processors',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        ...shared,
        test: {
          name: 'integrations',
          root: 'packages/integrations',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'server',
          root: 'packages/server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
