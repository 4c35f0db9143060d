import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createId } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLargeText, makePdf, makePng, makeText } from './support/fixtures.js';
import {
  type FileResource,
  listFiles,
  startTestServer,
  stopTestServers,
  type TestServer,
  waitForFinal,
} from './support/server.js';

afterEach(stopTestServers);

async function upload(
  api: TestServer['api'],
  files: Array<[name: string, bytes: Buffer]>,
): Promise<FileResource[]> {
  const form = new FormData();
  for (const [name, bytes] of files) form.append('file', new File([bytes], name));
  const res = await api(`/api/v1/files`, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { files: FileResource[] }).files;
}

const names = (body: unknown) => (body as { items: FileResource[] }).items.map((f) => f.name).sort();

describe('files API', () => {
  it('ignores a reversed Range (bytes=5-3) and serves the whole file with 200 (issue 7)', async () => {
    const { api } = await startTestServer();
    const [file] = await upload(api, [['range.txt', makeText()]]);
    const res = await api(`/api/v1/files/${file!.id}/download`, { headers: { Range: 'bytes=5-3' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBeNull();
    expect((await res.arrayBuffer()).byteLength).toBe(file!.size);
    const beyond = await api(`/api/v1/files/${file!.id}/download`, { headers: { Range: 'bytes=500-' } });
    expect(beyond.status).toBe(416);
    await beyond.body?.cancel();
  });

  it('records a .csv as text/csv and serves it with its charset (issue 8)', async () => {
    const { api } = await startTestServer();
    const [file] = await upload(api, [['table.csv', Buffer.from('name,amount\nä,1\n', 'utf8')]]);
    expect(file).toMatchObject({ mime: 'text/csv', typeMismatch: false });
    await waitForFinal(api, file!.id);
    const res = await api(`/api/v1/files/${file!.id}/download`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await res.text()).toBe('name,amount\nä,1\n');
  });

  it('merges reprocess requests for one file while one is still queued (issue 7)', async () => {
    const { api, forge } = await startTestServer({ maxWorkers: 1 });
    const [file] = await upload(api, [['merge-me.txt', makeLargeText(64, 'merge')]]);
    await waitForFinal(api, file!.id);

    // Hold the only worker, so reprocess jobs stay queued.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let blocking = false;
    forge.processors.register({
      name: 'gate',
      accepts: (record) => record.name === 'blocker.txt',
      async extractMetadata() {
        blocking = true;
        await gate;
        return {};
      },
    });
    await upload(api, [['blocker.txt', makeLargeText(64, 'blocker')]]);
    while (!blocking) await new Promise((r) => setTimeout(r, 10));

    const answers = await Promise.all(
      Array.from({ length: 60 }, () => api(`/api/v1/files/${file!.id}/reprocess`, { method: 'POST' })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(60).fill(202));
    // Each answer shows the record as it now is: queued again, not the stale `processed`.
    for (const answer of answers) expect(((await answer.json()) as FileResource).status).toBe('pending');
    const queued = (await forge.catalog.jobs.listUnfinished()).filter((j) => j.payload.fileId === file!.id);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ status: 'pending' });

    release();
    await forge.queue.onIdle();
    expect((await waitForFinal(api, file!.id)).status).toBe('processed');
    // The upload's own run, the blocker's, and one reprocess: not 60.
    expect(await forge.queue.stats()).toMatchObject({ pending: 0, running: 0, completed: 3 });
  });

  it('answers an unknown id with 404 NOT_FOUND carrying the request id', async () => {
    const { api } = await startTestServer();
    for (const path of [`/api/v1/files/${createId()}`, `/api/v1/files/${createId()}/download`]) {
      const res = await api(`${path}`);
      expect(res.status).toBe(404);
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      expect(await res.json()).toEqual({
        error: { code: 'NOT_FOUND', message: 'File not found', requestId },
      });
    }
  });

  it('answers a path-like id with 404 and never serves a file outside the store', async () => {
    const { api, uploadFolder, dataDir } = await startTestServer();
    await writeFile(join(uploadFolder, 'victim'), 'uploads secret');
    await writeFile(join(dataDir, 'victim'), 'data dir secret');
    for (const id of ['..%2Fvictim', '..%2F..%2Fvictim', '%2E%2E%2Fvictim', 'default%2F..%2F..%2Fvictim']) {
      for (const suffix of ['', '/download']) {
        const res = await api(`/api/v1/files/${id}${suffix}`);
        expect(res.status, `${id}${suffix}`).toBe(404);
        expect(await res.text()).not.toContain('secret');
      }
    }
  });

  it('deletes a file: 204, then 404, and its bytes are gone from disk', async () => {
    const { api, uploadFolder } = await startTestServer();
    const [file] = await upload(api, [['notes.txt', makeText()]]);
    await waitForFinal(api, file!.id);
    expect(await listFiles(uploadFolder)).toEqual([`default/${file!.id}`]);

    const res = await api(`/api/v1/files/${file!.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await api(`/api/v1/files/${file!.id}`)).status).toBe(404);
    expect((await api(`/api/v1/files/${file!.id}/download`)).status).toBe(404);
    expect((await api(`/api/v1/files/${file!.id}`, { method: 'DELETE' })).status).toBe(404);
    expect(names(await (await api(`/api/v1/files`)).json())).toEqual([]);
    expect(await listFiles(uploadFolder)).toEqual([]);
  });

  it('filters the list by type, status and name', async () => {
    const { api } = await startTestServer();
    const files = await upload(api, [
      ['Holiday.png', makePng(16, 16)],
      ['invoice-42.pdf', makePdf()],
      ['holiday-notes.txt', makeText()],
    ]);
    for (const f of files) expect((await waitForFinal(api, f.id)).status).toBe('processed');
    const list = async (query: string) => {
      const res = await api(`/api/v1/files?${query}`);
      expect(res.status, query).toBe(200);
      return names(await res.json());
    };

    expect(await list('mime=image/*')).toEqual(['Holiday.png']);
    expect(await list('mime=application/pdf')).toEqual(['invoice-42.pdf']);
    expect(await list('mime=text/plain')).toEqual(['holiday-notes.txt']);
    expect(await list('status=processed')).toEqual(['Holiday.png', 'holiday-notes.txt', 'invoice-42.pdf']);
    expect(await list('status=pending')).toEqual([]);
    expect(await list('name=holiday')).toEqual(['Holiday.png', 'holiday-notes.txt']);
    expect(await list('name=invoice&mime=image/*')).toEqual([]);
  });

  it('pages the list with limit and nextCursor', async () => {
    const { api } = await startTestServer();
    await upload(api, [
      ['a.txt', Buffer.from('first\n')],
      ['b.txt', Buffer.from('second\n')],
      ['c.txt', Buffer.from('third\n')],
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const page = (await (await api(`/api/v1/files?${query}`)).json()) as {
        items: FileResource[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((f) => f.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('answers an invalid query with 400 VALIDATION_FAILED naming the field', async () => {
    const { api } = await startTestServer();
    for (const [query, field] of [
      ['limit=abc', 'limit'],
      ['limit=0', 'limit'],
      ['status=done', 'status'],
      ['mime=image', 'mime'],
    ] as const) {
      const res = await api(`/api/v1/files?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; details: { fields: Array<{ path: string; message: string }> } };
      };
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details.fields.map((f) => f.path)).toEqual([field]);
    }
  });
});
