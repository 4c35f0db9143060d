import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessQueue, createLocalBlobStore, createSqliteCatalog } from '@fileforge/core';
import {
  type ConformanceJobs,
  describeBlobStore,
  describeCatalog,
  describeJobQueue,
} from '@fileforge/core/testing';

const tempDir = () => mkdtemp(join(tmpdir(), 'fileforge-conformance-'));

describeBlobStore('local disk', async () => {
  const root = await tempDir();
  return {
    store: createLocalBlobStore({ root }),
    teardown: () => rm(root, { recursive: true, force: true }),
  };
});

describeCatalog('sqlite (file)', async () => {
  const dir = await tempDir();
  const catalog = createSqliteCatalog({ path: join(dir, 'catalog.db') });
  return {
    catalog,
    teardown: async () => {
      await catalog.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeJobQueue('in-process on sqlite', async () => {
  const dir = await tempDir();
  const catalog = createSqliteCatalog({ path: join(dir, 'catalog.db') });
  await catalog.migrate();
  return {
    create: ({ concurrency, maxAttempts, retryDelayMs, pollIntervalMs, leaseMs }) =>
      createInProcessQueue<ConformanceJobs>({
        store: catalog.jobs,
        concurrency,
        maxAttempts,
        backoff: () => retryDelayMs,
        pollIntervalMs,
        leaseMs,
      }),
    teardown: async () => {
      await catalog.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

// Each instance on a connection of its own, as separate worker processes on one database file are.
describeJobQueue('in-process on sqlite, one connection per instance', async () => {
  const dir = await tempDir();
  const path = join(dir, 'catalog.db');
  const catalogs = [createSqliteCatalog({ path })];
  await catalogs[0]!.migrate();
  return {
    create: ({ concurrency, maxAttempts, retryDelayMs, pollIntervalMs, leaseMs }) => {
      const catalog = createSqliteCatalog({ path });
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
      await rm(dir, { recursive: true, force: true });
    },
  };
});
