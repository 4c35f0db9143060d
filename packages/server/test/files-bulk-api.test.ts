/**
 * `POST /api/v1/files/bulk`: multi-select actions of the file manager — delete, reprocess, move
 * and re-categorise — with one result per file, the single routes' checks (tenant, ownership,
 * role) and their audit entries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  type FileResource,
  startTestServer,
  stopTestServers,
  type TestServer,
  waitForFinal,
} from './support/server.js';

afterEach(stopTestServers);

interface BulkResult {
  action: string;
  succeeded: number;
  failed: number;
  results: Array<{
    id: string;
    ok: boolean;
    status: number;
    error?: { code: string };
    file?: FileResource & { path: string | null; category: string | null };
  }>;
}

async function uploadTexts(api: TestServer['api'], names: string[]): Promise<FileResource[]> {
  const form = new FormData();
  for (const name of names) form.append('file', new File([Buffer.from(`${name} body\n`)], name));
  const res = await api('/api/v1/files', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  const { files } = (await res.json()) as { files: FileResource[] };
  for (const f of files) await waitForFinal(api, f.id);
  return files;
}

const bulk = async (api: TestServer['api'], body: unknown) => {
  const res = await api('/api/v1/files/bulk', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as BulkResult };
};

describe('bulk file actions', () => {
  it('categorising many files costs one training of the classifier, after the last label', async () => {
    const { api, forge } = await startTestServer();
    const names = Array.from({ length: 45 }, (_, i) => `note-${String(i).padStart(2, '0')}.txt`);
    const ids: string[] = [];
    for (let i = 0; i < names.length; i += 15)
      for (const f of await uploadTexts(api, names.slice(i, i + 15))) ids.push(f.id);
    // 22 labels of one category: due, but one category trains no model.
    const letters = await bulk(api, { action: 'categorize', ids: ids.slice(0, 22), category: 'letters' });
    expect(letters.body.succeeded).toBe(22);
    expect(await forge.sorter.model()).toBeNull();
    // 23 more of another: one training, on every label of both requests.
    const recipes = await bulk(api, { action: 'categorize', ids: ids.slice(22), category: 'recipes' });
    expect(recipes.body.succeeded).toBe(23);
    expect(await forge.sorter.model()).toMatchObject({
      categories: ['letters', 'recipes'],
      labelCount: 45,
      newLabels: 0,
    });
  });

  it('moves, re-categorises, reprocesses and deletes many files, one result per id', async () => {
    const { api } = await startTestServer();
    const files = await uploadTexts(api, ['one.txt', 'two.txt', 'three.txt']);
    const ids = files.map((f) => f.id);
    const missing = '01m89x19j1mxtrcxkbagdagbb0';

    const moved = await bulk(api, { action: 'move', ids: [...ids, missing], path: 'archive/2026' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ action: 'move', succeeded: 3, failed: 1 });
    expect(moved.body.results.map((r) => r.id)).toEqual([...ids, missing]);
    expect(moved.body.results.slice(0, 3).map((r) => r.file?.path)).toEqual([
      'archive/2026/one.txt',
      'archive/2026/two.txt',
      'archive/2026/three.txt',
    ]);
    expect(moved.body.results[3]).toMatchObject({ ok: false, status: 404, error: { code: 'NOT_FOUND' } });
    const inFolder = (await (await api('/api/v1/files?folder=archive/2026')).json()) as { items: unknown[] };
    expect(inFolder.items).toHaveLength(3);

    const categorized = await bulk(api, { action: 'categorize', ids: ids.slice(0, 2), category: 'letters' });
    expect(categorized.body.succeeded).toBe(2);
    const letters = (await (await api('/api/v1/files?category=letters')).json()) as { items: FileResource[] };
    expect(letters.items.map((f) => f.id).sort()).toEqual(ids.slice(0, 2).sort());

    const reprocessed = await bulk(api, { action: 'reprocess', ids: [ids[0]] });
    expect(reprocessed.body.results[0]).toMatchObject({ ok: true, status: 202 });
    await waitForFinal(api, ids[0]!);

    const deleted = await bulk(api, { action: 'delete', ids });
    expect(deleted.body).toMatchObject({ succeeded: 3, failed: 0 });
    for (const id of ids) expect((await api(`/api/v1/files/${id}`)).status).toBe(404);
    // Audited like the single route: one file.delete entry per file.
    const trail = (await (await api('/api/v1/audit?action=file.delete&limit=50')).json()) as {
      items: Array<{ target: { id: string } | null }>;
    };
    expect(trail.items.map((e) => e.target?.id).sort()).toEqual([...ids].sort());
  });

  it('lets an editor change only its own files and a viewer nothing; refuses a move without a path', async () => {
    const { api, url, server } = await startTestServer();
    const [adminFile] = await uploadTexts(api, ['admins.txt']);
    const login = async (role: 'editor' | 'viewer') => {
      const email = `${role}@example.test`;
      await server.auth.createUser({ email, password: ADMIN.password, role, tenant: 'default' });
      const res = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: ADMIN.password }),
      });
      const { accessToken } = (await res.json()) as { accessToken: string };
      return (path: string, init: RequestInit = {}) =>
        fetch(`${url}${path}`, {
          ...init,
          headers: { ...init.headers, Authorization: `Bearer ${accessToken}` },
        });
    };
    const editor = await login('editor');
    const [editorFile] = await uploadTexts(editor, ['editors.txt']);
    const result = await bulk(editor, { action: 'delete', ids: [adminFile!.id, editorFile!.id] });
    expect(result.body.results.map((r) => [r.ok, r.status])).toEqual([
      [false, 403],
      [true, 204],
    ]);
    expect((await api(`/api/v1/files/${adminFile!.id}`)).status).toBe(200);

    const viewer = await login('viewer');
    const refused = await viewer('/api/v1/files/bulk', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'delete', ids: [adminFile!.id] }),
    });
    expect(refused.status).toBe(403);

    const invalid = await api('/api/v1/files/bulk', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'move', ids: [adminFile!.id] }),
    });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { details: { fields: Array<{ path: string }> } } };
    expect(body.error.details.fields.map((f) => f.path)).toEqual(['path']);
  });

  it('refuses a folder the sorted tree would have to rename, before anything moves', async () => {
    const { api } = await startTestServer();
    const [file] = await uploadTexts(api, ['kept.txt']);
    const pathOf = async () =>
      ((await (await api(`/api/v1/files/${file!.id}`)).json()) as { path: string | null }).path;
    const before = await pathOf();
    for (const path of [
      'CON',
      'x:y',
      'a\u0000b',
      'lpt1/notes',
      'a/ b',
      '...',
      'back\\slash',
      'é'.repeat(200),
    ]) {
      const refused = await bulk(api, { action: 'move', ids: [file!.id], path });
      expect(refused.status, JSON.stringify(path)).toBe(400);
    }
    expect(await pathOf()).toBe(before);
    // A folder kept as it is still moves, and the answer says so.
    const moved = await bulk(api, { action: 'move', ids: [file!.id], path: 'Rechnungen 2026/März' });
    expect(moved.body).toMatchObject({ succeeded: 1, failed: 0 });
    expect(moved.body.results[0]?.file?.path).toBe('Rechnungen 2026/März/kept.txt');
  });
});
