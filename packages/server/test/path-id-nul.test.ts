/**
 * An id in a URL path holding NUL (`%00`) is a bad request on PostgreSQL as on SQLite: its text
 * cannot hold NUL and refused the query, which answered 500 (a server fault, logged as one).
 */
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServers } from './support/server.js';

const drops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stopTestServers();
  for (const drop of drops.splice(0)) await drop();
});

const PATHS = [
  '/api/v1/sorter/runs/a%00b',
  '/api/v1/workflows/a%00b/runs',
  '/api/v1/workflows/a%00b',
  '/api/v1/sorter/rules/a%00b',
];

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

describe('an id holding NUL in the path', () => {
  it.skipIf(!postgres)('answers 4xx, never 500, on PostgreSQL', { timeout: 60_000 }, async () => {
    const { url, drop } = postgresTestSchema();
    drops.push(drop);
    const { api } = await startTestServer({ databaseUrl: url });
    const answers: string[] = [];
    for (const path of PATHS) answers.push(`${path} → ${(await api(path)).status}`);
    expect(answers.filter((a) => !/ → 4\d\d$/.test(a))).toEqual([]);
  });
});
