import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody } from './support/cut-body.js';
import { type FileResource, startTestServer, stopTestServers, waitForFinal } from './support/server.js';

afterEach(stopTestServers);

const SEG = 64 * 1024;
const HEADER = 204;
const FULL = SEG + 16;

// Issue 12 / security spec M2: downloads of encrypted files stream, ranges work, and a tampered
// segment is never sent.
describe('downloads with encryption at rest', () => {
  it('serves the original and a Range, and cuts the download before a tampered segment’s bytes', async () => {
    const t = await startTestServer({ encryption: { keys: [randomBytes(32)] } });
    const content = Buffer.concat([
      ...Array.from({ length: 5 }, (_, i) => Buffer.alloc(SEG, 0x41 + i)),
      randomBytes(999),
    ]);
    const form = new FormData();
    form.append('file', new File([content], 'data.bin'));
    const res = await t.api('/api/v1/files', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const [file] = ((await res.json()) as { files: FileResource[] }).files;
    await waitForFinal(t.api, file!.id);

    const whole = await t.api(`/api/v1/files/${file!.id}/download`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(content.length));
    expect(Buffer.from(await whole.arrayBuffer()).equals(content)).toBe(true);

    const [start, end] = [2 * SEG - 10, 3 * SEG + 10];
    const part = await t.api(`/api/v1/files/${file!.id}/download`, {
      headers: { Range: `bytes=${start}-${end}` },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${content.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(content.subarray(start, end + 1))).toBe(true);

    // Flip one byte of segment 3 (the fourth) in the stored blob.
    const record = await t.forge.files.get(file!.id);
    const path = join(t.uploadFolder, record!.blobKey);
    const raw = await readFile(path);
    expect(raw.includes(Buffer.alloc(1024, 0x41))).toBe(false); // nothing plaintext on disk
    raw[HEADER + 3 * FULL + 100]! ^= 0x80;
    await rm(path);
    await writeFile(path, raw, { mode: 0o400 });

    const cut = await t.api(`/api/v1/files/${file!.id}/download`);
    expect(cut.status).toBe(200); // headers were sent before segment 3 was reached
    const { bytes, error } = await readBody(cut);
    expect(error).toBeDefined();
    expect(bytes.length).toBeLessThanOrEqual(3 * SEG);
    expect(bytes.equals(content.subarray(0, bytes.length))).toBe(true);
    expect(bytes.includes(Buffer.alloc(64, 0x44))).toBe(false); // segment 3's plaintext

    // A damaged header is refused before anything is sent.
    raw[14]! ^= 0x01;
    await rm(path);
    await writeFile(path, raw, { mode: 0o400 });
    const refused = await t.api(`/api/v1/files/${file!.id}/download`);
    expect(refused.status).toBe(500);
    expect(await refused.json()).toMatchObject({ error: { code: 'BLOB_INTEGRITY_FAILED' } });
    expect((await t.api('/health')).status).toBeLessThan(500);
  });
});
