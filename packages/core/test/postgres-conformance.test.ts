/**
 * The shared conformance suites on the machine's PostgreSQL (POSTGRES_TEST_URL): the catalog
 * suite unchanged, and the in-process queue on the PostgreSQL job store (row locks, `SKIP
 * LOCKED` claims). Every catalog lives in a schema of its own, dropped afterwards.
 */
import { createInProcessQueue, createPostgresCatalog } from '@fileforge/core';
import { type ConformanceJobs, describeCatalog, describeJobQueue } from '@fileforge/core/testing';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { describe, expect, it } from 'vitest';

const available = await requireService('PostgreSQL', POSTGRES_TEST_URL);

if (available) {
  describeCatalog('postgresql', async () => {
    const { url, drop } = postgresTestSchema();
    const catalog = createPostgresCatalog({ url, max: 4 });
    return {
      catalog,
      teardown: async () => {
        await catalog.close();
        await drop();
      },
    };
  });

  // Each queue instance on a pool of its own, as separate worker processes are.
  describeJobQueue('in-process on postgresql, one pool per instance', async () => {
    const { url, drop } = postgresTestSchema();
    const catalogs = [createPostgresCatalog({ url, max: 2 })];
    await catalogs[0]!.migrate();
    return {
      create: ({ concurrency, maxAttempts, retryDelayMs, pollIntervalMs, leaseMs }) => {
        const catalog = createPostgresCatalog({ url, max: 2 });
        catalogs.push(catalog);
        return createInProcessQueue<ConformanceJobs>({
          store: catalog.jobs,
          concurrency,
          maxAttempts,
          backoff: () => retryDelayMs,
          pollIntervalMs,
          leaseMs,
        });
      },
      teardown: async () => {
        for (const catalog of catalogs) await catalog.close();
        await drop();
      },
    };
  });
  describe('PostgreSQL catalog: concurrent writers', () => {
    it('creates exactly one first user when several setups race (transactions run side by side)', async () => {
      const { url, drop } = postgresTestSchema();
      const catalogs = Array.from({ length: 4 }, () => createPostgresCatalog({ url, max: 2 }));
      try {
        await catalogs[0]!.migrate();
        const at = new Date().toISOString();
        const results = await Promise.allSettled(
          catalogs.map((catalog, i) =>
            catalog.accounts.createFirstUser({
              id: `u${i}`,
              tenant: 'default',
              email: `admin${i}@example.com`,
              passwordHash: 'x',
              role: 'admin',
              disabled: false,
              tokenVersion: 0,
              createdAt: at,
              updatedAt: at,
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' });
        }
        expect(await catalogs[0]!.accounts.countUsers()).toBe(1);
      } finally {
        for (const catalog of catalogs) await catalog.close();
        await drop();
      }
    });
  });
} else {
  describe('Catalog conformance: postgresql', () => {
    it.skip('needs PostgreSQL at POSTGRES_TEST_URL', () => {});
  });
}
