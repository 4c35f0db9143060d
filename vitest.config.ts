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
        test: {
          name: 'core',
          root: 'packages/core',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // Child processes (tsx) and real services: seconds each on a loaded 2-core machine.
          testTimeout: 30_000,
        },
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
      {
        ...shared,
        test: {
          name: 'client',
          root: 'packages/client',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'examples',
          root: 'examples',
          include: ['*/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          // Repository-level checks: deployment files, packaging, the docs site.
          name: 'repo',
          root: '.',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
