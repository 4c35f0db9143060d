/**
 * The list endpoints refuse a query they cannot answer with 400 `VALIDATION_FAILED` naming the
 * parameter, on SQLite and on PostgreSQL alike: a tampered cursor whose sort key has the wrong
 * type, text holding NUL (which PostgreSQL refuses in a parameter: these were 500s there) and a
 * date of no calendar (`2026-02-30`, once read as 2 March; `banana 1`, once read as 2001).
 */
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServers, type TestServer, waitForFinal } from './support/server.js';

const drops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stopTestServers();
  for (const drop of drops.splice(0)) await drop();
});

/** A file-list cursor as the API spells one: base64url of `[sort, order, key, id]`. */
const fileCursor = (sort: string, order: string, key: unknown) =>
  Buffer.from(JSON.stringify([sort, order, key, '01m8trzg5e3f6rq5qybvcw3zwp'])).toString('base64url');
/** An opaque cursor of the given text (folder listings, workflow runs). */
const textCursor = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const REFUSED: Array<[query: string, field: string]> = [
  // File list: a cursor whose key the sort's column cannot hold.
  [`/api/v1/files?sort=size&cursor=${fileCursor('size', 'desc', 'abc')}`, 'cursor'],
  [`/api/v1/files?sort=size&cursor=${fileCursor('size', 'desc', 1.5)}`, 'cursor'],
  [`/api/v1/files?sort=size&cursor=${fileCursor('size', 'desc', 1e20)}`, 'cursor'],
  [`/api/v1/files?q=zebra&cursor=${fileCursor('relevance', 'desc', 'abc')}`, 'cursor'],
  [`/api/v1/files?sort=name&cursor=${fileCursor('name', 'asc', 'a\u0000b')}`, 'cursor'],
  [`/api/v1/files?sort=updated&cursor=${fileCursor('updated', 'desc', 5)}`, 'cursor'],
  // Filters holding NUL.
  ['/api/v1/files?name=a%00', 'name'],
  ['/api/v1/files?category=a%00', 'category'],
  ['/api/v1/files?uploader=a%00', 'uploader'],
  ['/api/v1/files?folder=a%00', 'folder'],
  ['/api/v1/audit?actor=a%00', 'actor'],
  ['/api/v1/audit?targetType=a%00', 'targetType'],
  ['/api/v1/audit?targetId=a%00', 'targetId'],
  [`/api/v1/folders?cursor=${textCursor('f:a\u0000')}`, 'cursor'],
  [`/api/v1/folders?cursor=${textCursor('d:a\u0000')}`, 'cursor'],
  // A workflow-run cursor (`createdAt` and id) whose time ends in NUL, which Date.parse takes.
  [
    `/api/v1/workflows/{workflow}/runs?cursor=${textCursor('2026-01-01T00:00:00.000Z\u0000\n01m8trzg5e3f6rq5qybvcw3zwp')}`,
    'cursor',
  ],
  // Dates of no calendar, and text Date.parse guesses at.
  ['/api/v1/files?createdFrom=2026-02-30', 'createdFrom'],
  ['/api/v1/files?createdTo=2026-04-31T10:00:00Z', 'createdTo'],
  ['/api/v1/audit?since=banana%201', 'since'],
  ['/api/v1/audit?since=1', 'since'],
  ['/api/v1/audit?until=2026-02-30', 'until'],
];

async function refusalsCase(databaseUrl?: string) {
  const { api } = await startTestServer(databaseUrl ? { databaseUrl } : {});
  // One file, so that every list has something it could have answered.
  const form = new FormData();
  form.append('file', new File([Buffer.from('zebra notes\n')], 'zebra.txt'));
  const uploaded = await api('/api/v1/files', { method: 'POST', body: form });
  expect(uploaded.status).toBe(201);
  const { files } = (await uploaded.json()) as { files: Array<{ id: string }> };
  await waitForFinal(api, files[0]!.id);
  const workflow = await api('/api/v1/workflows', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ocr', on: { manual: true }, steps: { ocr: { uses: 'process' } } }),
  });
  expect(workflow.status, await workflow.clone().text()).toBe(201);
  const { id: workflowId } = (await workflow.json()) as { id: string };

  // Every answer is collected first, so a failure lists all the queries answered wrongly.
  const answers: string[] = [];
  for (const [query] of REFUSED) {
    const res = await api(query.replace('{workflow}', workflowId));
    const body = (await res.json()) as {
      error?: { code: string; details?: { fields?: Array<{ path: string }> } };
    };
    const fields = body.error?.details?.fields?.map((f) => f.path).join(',');
    answers.push(`${query} → ${res.status} ${body.error?.code} ${fields}`);
  }
  expect(answers).toEqual(REFUSED.map(([query, field]) => `${query} → 400 VALIDATION_FAILED ${field}`));

  // What the refusals guard still works: real dates, real cursors.
  await expectOk(api, '/api/v1/files?createdFrom=2024-02-29&createdTo=2026-12-31T23:59:59%2B01:00');
  await expectOk(api, '/api/v1/audit?since=2024-02-29&until=2999-01-01T00:00:00Z');
  await expectOk(api, `/api/v1/files?sort=size&cursor=${fileCursor('size', 'desc', 10)}`);
  await expectOk(api, `/api/v1/workflows/${workflowId}/runs`);
}

async function expectOk(api: TestServer['api'], query: string) {
  const res = await api(query);
  expect(res.status, query).toBe(200);
}

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

describe('list endpoints: bad cursors and filters are 400, never 500', () => {
  it('refuses them on SQLite', async () => {
    await refusalsCase();
  });

  it.skipIf(!postgres)('refuses them on PostgreSQL', async () => {
    const { url, drop } = postgresTestSchema();
    drops.push(drop);
    await refusalsCase(url);
  });
});
