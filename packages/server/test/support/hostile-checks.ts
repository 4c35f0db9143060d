/**
 * The checks every case of the hostile-input catalogue ends with (security spec, "Nothing
 * stored"): no record appeared beyond the ones the case expects, no blob appeared in the
 * storage tree, the temp area is empty — and the server is still healthy: `/health` answers
 * 200 and a normal upload goes through and downloads byte for byte.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { sha256 } from './fixtures.js';
import { eventually, type FileResource, listFiles, type TestServer, waitForFinal } from './server.js';

/** What the catalogue and the storage tree of one tenant hold at a moment. */
export interface StoreState {
  ids: string[];
  blobs: string[];
}

/** Every record of the server's default tenant (any status) and every file of its storage tree but the temp area. */
export async function storeState({ api, uploadFolder }: TestServer): Promise<StoreState> {
  const res = await api('/api/v1/files?limit=500');
  expect(res.status, 'GET /api/v1/files').toBe(200);
  const { items } = (await res.json()) as { items: FileResource[] };
  const blobs = (await listFiles(uploadFolder)).filter((f) => !f.startsWith('.tmp/'));
  return { ids: items.map((f) => f.id).sort(), blobs };
}

/**
 * Asserts that, since `before`, the only new records are `expectedIds` (none by default),
 * no blob appeared except for those records, and the temp area has emptied.
 */
export async function expectNothingStoredSince(
  server: TestServer,
  before: StoreState,
  expectedIds: readonly string[] = [],
): Promise<void> {
  const tmp = join(server.uploadFolder, '.tmp');
  await eventually(
    async () => ((await readdir(tmp).catch(() => [])).length === 0 ? true : undefined),
    'the temp area still holds a partial upload',
    { timeoutMs: 5_000 },
  );
  const after = await storeState(server);
  const newIds = after.ids.filter((id) => !before.ids.includes(id));
  expect(newIds.sort(), 'records created by the case').toEqual([...expectedIds].sort());
  const newBlobs = after.blobs.filter((b) => !before.blobs.includes(b));
  expect(newBlobs.length, `blobs left by the case: ${newBlobs.join(', ')}`).toBeLessThanOrEqual(
    expectedIds.length,
  );
}

/** Uploads one small file through `fetch` and returns its record as the 201 lists it. */
export async function uploadOne(
  api: TestServer['api'],
  name: string,
  bytes: Uint8Array,
  type = 'application/octet-stream',
): Promise<{ status: number; file?: FileResource; code?: string }> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const res = await api('/api/v1/files', { method: 'POST', body: form });
  const body = (await res.json()) as { files?: FileResource[]; error?: { code: string } };
  return { status: res.status, ...(body.files ? { file: body.files[0] } : {}), code: body.error?.code };
}

/**
 * `/health` answers 200, and a normal upload is stored, processed and downloads with the
 * same SHA-256: whatever the case threw at the server left it working.
 */
export async function expectServerHealthy(server: TestServer): Promise<void> {
  const health = await fetch(`${server.url}/health`);
  expect(health.status, '/health after the case').toBe(200);
  await health.arrayBuffer();
  const bytes = Buffer.from(`a normal upload after a hostile one ${randomBytes(8).toString('hex')}\n`);
  const { status, file } = await uploadOne(server.api, 'after.txt', bytes, 'text/plain');
  expect(status, 'a normal upload after the case').toBe(201);
  expect((await waitForFinal(server.api, file!.id)).status).toBe('processed');
  const download = await server.api(`/api/v1/files/${file!.id}/download`);
  expect(download.status).toBe(200);
  expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(bytes));
}
