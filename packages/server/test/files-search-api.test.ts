/**
 * `GET /api/v1/files` as the file manager uses it: full-text search over what processing
 * extracted (a word only inside a PDF), filters, sorting and paging to the last file, on the
 * embedded SQLite catalog and on PostgreSQL.
 */
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import { makePdf, makePng } from './support/fixtures.js';
import {
  type FileResource,
  startTestServer,
  stopTestServers,
  type TestServer,
  waitForFinal,
} from './support/server.js';

const drops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stopTestServers();
  for (const drop of drops.splice(0)) await drop();
});

interface ListItem extends FileResource {
  typeFamily: string;
  match?: { field: string; snippet: string; highlights: Array<{ start: number; end: number }>; rank: number };
}
interface ListPage {
  items: ListItem[];
  nextCursor: string | null;
}

async function uploadAll(api: TestServer['api'], files: Array<[string, Buffer]>): Promise<FileResource[]> {
  const form = new FormData();
  for (const [name, bytes] of files) form.append('file', new File([bytes], name));
  const res = await api('/api/v1/files', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  const { files: stored } = (await res.json()) as { files: FileResource[] };
  for (const file of stored) expect((await waitForFinal(api, file.id)).status).toBe('processed');
  return stored;
}

async function list(api: TestServer['api'], query: string): Promise<ListPage> {
  const res = await api(`/api/v1/files?${query}`);
  expect(res.status, query).toBe(200);
  return (await res.json()) as ListPage;
}

async function searchCase(databaseUrl?: string) {
  const { api } = await startTestServer(databaseUrl ? { databaseUrl } : {});
  const today = new Date().toISOString().slice(0, 10); // before the uploads: a run across midnight
  await uploadAll(api, [
    ['scan-0001.pdf', makePdf('Remittance for the marmalade consignment')],
    ['minutes.pdf', makePdf('Minutes of the board meeting')],
    ['logo.png', makePng(16, 16)],
    ['b-notes.txt', Buffer.from('plain notes\n')],
    ['a-notes.txt', Buffer.from('more notes\n')],
  ]);

  // A word that only occurs inside the PDF's text finds it, with the snippet around it.
  const found = await list(api, 'q=marmalade');
  expect(found.items.map((f) => f.name)).toEqual(['scan-0001.pdf']);
  const match = found.items[0]!.match!;
  expect(match.field).toBe('text');
  expect(match.snippet).toContain('marmalade consignment');
  expect(match.snippet.slice(match.highlights[0]!.start, match.highlights[0]!.end)).toBe('marmalade');
  // Search as you type: the last word may be unfinished; filters still apply.
  expect((await list(api, 'q=remittance%20marm')).items.map((f) => f.name)).toEqual(['scan-0001.pdf']);
  expect((await list(api, 'q=marmalade&type=image')).items).toEqual([]);
  expect((await list(api, 'q=notes&sort=name')).items.map((f) => f.name)).toEqual([
    'a-notes.txt',
    'b-notes.txt',
  ]);
  expect((await list(api, 'q=notes')).items.every((f) => typeof f.match?.rank === 'number')).toBe(true);

  // Filters: type family, status, date range.
  expect((await list(api, 'type=image')).items.map((f) => f.name)).toEqual(['logo.png']);
  expect((await list(api, 'type=document&status=processed')).items).toHaveLength(4);
  expect((await list(api, 'createdTo=2000-01-01')).items).toEqual([]);
  expect((await list(api, `createdFrom=${today}`)).items).toHaveLength(5);
  for (const item of (await list(api, '')).items) expect(item).not.toHaveProperty('match');

  // Paging by name, one file a page, reaches every file in order.
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ListPage = await list(
      api,
      `sort=name&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    names.push(...page.items.map((f) => f.name));
    cursor = page.nextCursor;
  } while (cursor);
  expect(names).toEqual(['a-notes.txt', 'b-notes.txt', 'logo.png', 'minutes.pdf', 'scan-0001.pdf']);
  const bySize = await list(api, 'sort=size&order=asc');
  const sizes = bySize.items.map((f) => f.size);
  expect(sizes).toEqual([...sizes].sort((a, b) => a - b));

  // Refusals name the field.
  for (const [query, field] of [
    ['sort=relevance', 'sort'],
    ['type=spreadsheet', 'type'],
    ['createdFrom=yesterday', 'createdFrom'],
    ['sort=name&cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ] as const) {
    const res = await api(`/api/v1/files?${query}`);
    expect(res.status, query).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { fields: Array<{ path: string }> } };
    };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.fields.map((f) => f.path)).toEqual([field]);
  }
}

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

describe('files API: search, filters, sorting, paging', () => {
  it('searches, filters, sorts and pages on SQLite', async () => {
    await searchCase();
  });

  it('pages by name through files whose names are as long as names get (255 bytes)', async () => {
    const { api } = await startTestServer();
    const names = ['a', 'b', 'c'].map((c) => `${c.repeat(245)} zebra.txt`);
    for (const name of names) expect(Buffer.byteLength(name)).toBe(255);
    await uploadAll(
      api,
      names.map((name) => [name, Buffer.from('zebra notes\n')]),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListPage = await list(
        api,
        `q=zebra&sort=name&order=asc&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.items.map((f) => f.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(names);
  });

  it.skipIf(!postgres)('searches, filters, sorts and pages on PostgreSQL', async () => {
    const { url, drop } = postgresTestSchema();
    drops.push(drop);
    await searchCase(url);
  });
});
