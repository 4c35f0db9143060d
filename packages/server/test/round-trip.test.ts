import { parse as parseDisposition } from 'content-disposition';
import { afterEach, describe, expect, it } from 'vitest';
import { makePdf, makePng, makeText, sha256 } from './support/fixtures.js';
import { type FileResource, startTestServer, stopTestServers, waitForFinal } from './support/server.js';

afterEach(stopTestServers);

const uploads = [
  { name: 'gradient.png', declared: 'image/png', bytes: makePng(64, 48), mime: 'image/png' },
  { name: 'invoice-42.pdf', declared: 'application/pdf', bytes: makePdf(), mime: 'application/pdf' },
  { name: 'notes.txt', declared: 'text/plain', bytes: makeText(), mime: 'text/plain' },
];

describe('upload, list and download', () => {
  it('stores a PNG, a PDF and a text file sent in one request and serves back the same bytes', async () => {
    const { api } = await startTestServer();
    const form = new FormData();
    for (const u of uploads) form.append('file', new File([u.bytes], u.name, { type: u.declared }));

    const res = await api(`/api/v1/files`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const { files } = (await res.json()) as { files: FileResource[] };
    expect(files.map((f) => ({ name: f.name, mime: f.mime, size: f.size, sha256: f.sha256 }))).toEqual(
      uploads.map((u) => ({ name: u.name, mime: u.mime, size: u.bytes.length, sha256: sha256(u.bytes) })),
    );
    expect(files.every((f) => f.typeMismatch === false)).toBe(true);

    const list = (await (await api(`/api/v1/files`)).json()) as { items: FileResource[] };
    expect(list.items.map((f) => f.id).sort()).toEqual(files.map((f) => f.id).sort());

    for (const [i, file] of files.entries()) {
      const original = uploads[i]!.bytes;
      const download = `/api/v1/files/${file.id}/download`;

      const full = await api(download);
      expect(full.status).toBe(200);
      const body = Buffer.from(await full.arrayBuffer());
      expect(sha256(body)).toBe(file.sha256);
      expect(body.equals(original)).toBe(true);
      expect(full.headers.get('content-type')).toBe(
        file.mime === 'text/plain' ? 'text/plain; charset=utf-8' : file.mime,
      );
      expect(full.headers.get('x-content-type-options')).toBe('nosniff');
      const disposition = parseDisposition(full.headers.get('content-disposition') ?? '');
      expect(disposition).toEqual({ type: 'attachment', parameters: { filename: file.name } });
      const etag = full.headers.get('etag');
      expect(etag).toBe(`"${file.sha256}"`);

      const cached = await api(download, { headers: { 'If-None-Match': etag! } });
      expect(cached.status).toBe(304);
      expect((await cached.arrayBuffer()).byteLength).toBe(0);

      const partial = await api(download, { headers: { Range: 'bytes=0-9' } });
      expect(partial.status).toBe(206);
      expect(partial.headers.get('content-range')).toBe(`bytes 0-9/${original.length}`);
      const slice = Buffer.from(await partial.arrayBuffer());
      expect(slice.length).toBe(10);
      expect(slice.equals(original.subarray(0, 10))).toBe(true);

      const beyond = await api(download, { headers: { Range: 'bytes=999999999-' } });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get('content-range')).toBe(`bytes */${original.length}`);
      await beyond.body?.cancel();

      const head = await api(download, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(original.length));
      expect(head.headers.get('content-type')).toBe(full.headers.get('content-type'));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }

    for (const file of files) {
      const done = await waitForFinal(api, file.id);
      expect(done.status).toBe('processed');
      expect(done.metadata.generic).toMatchObject({ size: file.size, hashes: { sha256: file.sha256 } });
      if (file.mime === 'text/plain') {
        expect(done.metadata.text).toMatchObject({ encoding: 'utf-8', lines: 3 });
      } else {
        expect(done.metadata.text).toBeUndefined();
      }
    }

    // A derivative is revalidated like the original: its ETag answers 304 with no body.
    const png = files.find((f) => f.mime === 'image/png')!;
    const { items } = (await (await api(`/api/v1/files/${png.id}/derivatives`)).json()) as {
      items: Array<{ name: string }>;
    };
    expect(items.length).toBeGreaterThan(0);
    const derivative = `/api/v1/files/${png.id}/derivatives/${items[0]!.name}`;
    const first = await api(derivative);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const revalidated = await api(derivative, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
    expect((await revalidated.arrayBuffer()).byteLength).toBe(0);
    expect((await api(derivative, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
  });

  it('shows a name with zero-width characters as it reads, flagged as misleading (issue 7)', async () => {
    const { api } = await startTestServer();
    const form = new FormData();
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(254)]);
    form.append('file', new File([program], 'pay\u200Bpal\u2060.pdf\u200B.exe'));

    const res = await api(`/api/v1/files`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const [file] = ((await res.json()) as { files: FileResource[] }).files;
    expect(file).toMatchObject({ name: 'paypal.pdf.exe', ext: 'exe', typeMismatch: true });
    expect(file!.metadata.detection).toMatchObject({ misleadingName: true, hiddenCharacters: true });
    const listed = (await (await api('/api/v1/files')).json()) as { items: FileResource[] };
    expect(listed.items.map((f) => f.name)).toEqual(['paypal.pdf.exe']);
  });

  it('records a PNG named setup.exe and declared as text/plain as image/png, flagged as a mismatch', async () => {
    const { api } = await startTestServer();
    const form = new FormData();
    form.append('file', new File([makePng(8, 8)], 'setup.exe', { type: 'text/plain' }));

    const res = await api(`/api/v1/files`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const [file] = ((await res.json()) as { files: FileResource[] }).files;
    expect(file).toMatchObject({
      name: 'setup.exe',
      mime: 'image/png',
      declaredMime: 'text/plain',
      typeMismatch: true,
    });
    expect(file!.metadata.detection).toMatchObject({ extensionMismatch: true, declaredMismatch: true });

    const download = await api(`/api/v1/files/${file!.id}/download`);
    expect(download.headers.get('content-type')).toBe('image/png');
    await download.body?.cancel();
  });
});
