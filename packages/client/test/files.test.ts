import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServers, type TestServer } from '../../server/test/support/server.js';
import { type FileForgeClient, type FileRecord, isFileForgeClientError } from '../src/index.js';
import { clientFor } from './support/client-server.js';

let server: TestServer;
let client: FileForgeClient;
const uploaded: FileRecord[] = [];

beforeAll(async () => {
  server = await startTestServer();
  client = clientFor(server);
  for (let i = 0; i < 7; i++) {
    uploaded.push(await client.files.upload(new Blob([`note number ${i}\n`]), { name: `note-${i}.txt` }));
  }
});
afterAll(stopTestServers);

describe('client.files.list', () => {
  it('iterates every file across pages, newest first', async () => {
    const pages = [];
    for await (const page of client.files.list({ limit: 3 }).pages()) pages.push(page);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.at(-1)?.nextCursor).toBeNull();

    const seen: string[] = [];
    for await (const file of client.files.list({ limit: 3 })) seen.push(file.id);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(uploaded.map((f) => f.id)));
  });

  it('gets one page at a time and passes the filters', async () => {
    const first = await client.files.page({ limit: 5 });
    expect(first.items).toHaveLength(5);
    const rest = await client.files.page({ limit: 5, cursor: first.nextCursor! });
    expect(rest.items).toHaveLength(2);
    const named = await client.files.page({ name: 'note-4.txt' });
    expect(named.items.map((f) => f.id)).toEqual([uploaded[4]!.id]);
  });
});

describe('client.files.waitFor', () => {
  it('resolves once the file is processed, then derivatives and reprocess work on it', async () => {
    const file = await client.files.waitFor(uploaded[0]!.id, { status: 'processed', timeoutMs: 30_000 });
    expect(file.status).toBe('processed');
    expect(Array.isArray(await client.files.derivatives(file.id))).toBe(true);
    const again = await client.files.reprocess(file.id);
    expect(again.id).toBe(file.id);
    expect((await client.files.waitFor(file.id, { timeoutMs: 30_000 })).status).toBe('processed');
  });

  it('rejects with UNEXPECTED_STATUS, carrying the record, when the file settles on another status', async () => {
    await client.files.waitFor(uploaded[1]!.id, { timeoutMs: 30_000 });
    const error = await client.files.waitFor(uploaded[1]!.id, { status: 'failed' }).catch((e: unknown) => e);
    expect(isFileForgeClientError(error)).toBe(true);
    if (!isFileForgeClientError(error)) return;
    expect(error.code).toBe('UNEXPECTED_STATUS');
    expect((error.details.file as FileRecord).status).toBe('processed');
  });
});

describe('client.files.delete', () => {
  it('deletes a file, after which get is a typed 404', async () => {
    const victim = uploaded[6]!;
    await client.files.delete(victim.id);
    const error = await client.files.get(victim.id).catch((e: unknown) => e);
    expect(isFileForgeClientError(error) && error.status === 404 && error.code === 'NOT_FOUND').toBe(true);
  });
});
