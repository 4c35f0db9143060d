import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from './support/fixtures.js';
import { startTestServer, stopTestServers, waitForFinal } from './support/server.js';

afterEach(stopTestServers);

interface SchemaObject {
  type?: string | string[];
  properties?: Record<string, SchemaObject>;
  required?: string[];
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  $ref?: string;
  nullable?: boolean;
}

describe('a damaged file in the API (issue 12)', () => {
  it('declares `damaged` ({ at, reason } or null) on the File schema of /openapi.json', async () => {
    const ts = await startTestServer();
    const doc = (await (await fetch(`${ts.url}/openapi.json`)).json()) as {
      components: { schemas: Record<string, SchemaObject> };
    };
    const file = doc.components.schemas.File!;
    expect(file.required).toContain('damaged');
    const property = file.properties!.damaged!;
    // A named component (`FileDamage`) the property refers to; nullable is written there, as
    // OpenAPI 3.1 does: `type: ['object', 'null']` (a union with null, or 3.0's `nullable`, also count).
    const shape = property.$ref ? doc.components.schemas[property.$ref.split('/').pop()!]! : property;
    const variants = shape.anyOf ?? shape.oneOf ?? [shape];
    const types = variants.flatMap((v) => (Array.isArray(v.type) ? v.type : [v.type]));
    expect(shape.nullable === true || types.includes('null')).toBe(true);
    expect(Object.keys(shape.properties ?? {}).sort()).toEqual(['at', 'reason']);
  });

  it('shows damaged: null on a sound file and { at, reason } on one fsck marked, whose download is 409 FILE_DAMAGED', async () => {
    const ts = await startTestServer();
    const upload = async (name: string) => {
      const form = new FormData();
      form.append('file', new Blob([`${name} contents\n`], { type: 'text/plain' }), name);
      const res = await ts.api('/api/v1/files', { method: 'POST', body: form });
      expect(res.status).toBe(201);
      return ((await res.json()) as { files: Array<{ id: string; damaged: unknown }> }).files[0]!;
    };
    const sound = await upload('sound.txt');
    const broken = await upload('broken.txt');
    expect(sound.damaged).toBeNull();

    // What `fileforge fsck --repair` writes for a record whose blob no longer matches.
    const at = new Date().toISOString();
    await ts.forge.catalog.db!()
      .updateTable('files')
      .set({ damaged_at: at, damage_reason: 'sha256_mismatch' })
      .where('id', '=', broken.id)
      .execute();

    const shown = (await (await ts.api(`/api/v1/files/${broken.id}`)).json()) as { damaged: unknown };
    expect(shown.damaged).toEqual({ at, reason: 'sha256_mismatch' });
    const listed = (await (await ts.api('/api/v1/files')).json()) as {
      items: Array<{ id: string; damaged: unknown }>;
    };
    expect(Object.fromEntries(listed.items.map((f) => [f.id, f.damaged]))).toEqual({
      [sound.id]: null,
      [broken.id]: { at, reason: 'sha256_mismatch' },
    });
    const download = await ts.api(`/api/v1/files/${broken.id}/download`);
    expect(download.status).toBe(409);
    expect(((await download.json()) as { error: { code: string } }).error.code).toBe('FILE_DAMAGED');
    // Every way of asking answers the same: no 304 vouching for a cached copy, no HEAD 200, no 416.
    const etag = `"${(shown as unknown as { sha256: string }).sha256}"`;
    for (const init of <RequestInit[]>[
      { method: 'HEAD' },
      { headers: { 'If-None-Match': etag } },
      { headers: { Range: 'bytes=100-' } },
      { headers: { Range: 'bytes=0-3' } },
    ]) {
      const res = await ts.api(`/api/v1/files/${broken.id}/download`, init);
      expect(res.status, JSON.stringify(init)).toBe(409);
    }
    expect((await ts.api(`/api/v1/files/${sound.id}/download`, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers 404 NOT_FOUND (blob_missing) naming the file, never the storage key, when the blob vanished before fsck ran', async () => {
    const ts = await startTestServer();
    const form = new FormData();
    form.append('file', new Blob(['soon gone\n'], { type: 'text/plain' }), 'gone.txt');
    const created = await ts.api('/api/v1/files', { method: 'POST', body: form });
    const { id } = ((await created.json()) as { files: Array<{ id: string }> }).files[0]!;
    const record = (await ts.forge.files.get(id))!;
    // Deleted out from under the catalog; the record is not marked damaged (fsck has not run).
    await ts.forge.blobs.delete(record.blobKey);
    expect((await ts.forge.files.get(id))!.damaged ?? null).toBeNull();

    for (const init of <RequestInit[]>[{}, { headers: { Range: 'bytes=0-3' } }]) {
      const res = await ts.api(`/api/v1/files/${id}/download`, init);
      const text = await res.text();
      expect(res.status, JSON.stringify(init)).toBe(404);
      const { error } = JSON.parse(text) as { error: { code: string; message: string; details: unknown } };
      expect(error.code).toBe('NOT_FOUND');
      expect(error.details).toEqual({ id, reason: 'blob_missing' });
      expect(error.message).toContain(id);
      expect(text).not.toContain(record.blobKey);
    }
  });

  it('answers 404 naming the derivative, never the storage key, when its blob vanished', async () => {
    const ts = await startTestServer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(makePng())], { type: 'image/png' }), 'picture.png');
    const created = await ts.api('/api/v1/files', { method: 'POST', body: form });
    const { id } = ((await created.json()) as { files: Array<{ id: string }> }).files[0]!;
    expect((await waitForFinal(ts.api, id)).status).toBe('processed');
    const [derivative] = await ts.forge.catalog.derivatives.list(id);
    await ts.forge.blobs.delete(derivative!.blobKey);

    const res = await ts.api(`/api/v1/files/${id}/derivatives/${derivative!.name}`);
    const text = await res.text();
    expect(res.status).toBe(404);
    const { error } = JSON.parse(text) as { error: { code: string; message: string } };
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(derivative!.name);
    expect(text).not.toContain(derivative!.blobKey);
  });
});
