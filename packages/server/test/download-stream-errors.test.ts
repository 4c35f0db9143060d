/**
 * A download whose stored bytes fail once the answer has started (a tampered encrypted segment,
 * a blob cut short on disk): the connection is cut, so the client never takes a short body for
 * the whole file, and the server logs the failure once, as JSON with the request id and file id,
 * instead of @hono/node-server printing it with `console.error`. The failure is audited as
 * `file.integrity_failed` (security spec M2). A backup archive failing mid-download is cut and
 * logged the same way.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ForgeOptions, Processor } from '@fileforge/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearer, startAccessServer, stopAccessServers } from './support/access-server.js';
import { readBody } from './support/cut-body.js';
import { eventually } from './support/server.js';

afterEach(async () => {
  vi.restoreAllMocks();
  await stopAccessServers();
});

type Line = Record<string, unknown> & { level: number; msg: string; requestId?: string };
const ERROR = 50;

/** Five 64 KiB segments and a bit: several reads of the blob, several encrypted segments. */
const CONTENT = Buffer.concat([
  ...Array.from({ length: 5 }, (_, i) => Buffer.alloc(64 * 1024, 0x41 + i)),
  randomBytes(999),
]);

/** Attaches {@link CONTENT} to every file as `copy.bin`, as a transcode attaches its output. */
const copier: Processor = {
  name: 'test-copy',
  accepts: () => true,
  async process(_file, context) {
    await context.addDerivative({ name: 'copy.bin', kind: 'transcode', mime: 'video/mp4', content: CONTENT });
    return {};
  },
};

/** A server whose JSON log lines are collected, an admin key, and one stored file with its derivative. */
async function serverWithFile(forge: Omit<ForgeOptions, 'dataDir'> = {}) {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  const s = await startAccessServer({
    forge: { ...forge, processors: [copier] },
    server: { logger: pino({ level: 'info' }, sink) },
  });
  const admin = await s.server.auth.setup('admin@example.test', 'correct horse battery staple');
  const { key } = await s.server.auth.createApiKey(
    { kind: 'user', id: admin.id, userId: admin.id, tenant: admin.tenant, role: admin.role },
    { name: 'test', role: 'admin' },
  );
  const form = new FormData();
  form.append('file', new File([CONTENT], 'data.bin'));
  const res = await fetch(`${s.url}/api/v1/files`, { method: 'POST', body: form, headers: bearer(key) });
  expect(res.status).toBe(201);
  const { id } = ((await res.json()) as { files: Array<{ id: string }> }).files[0]!;
  const derivative = await eventually(
    async () => (await s.forge.files.derivatives(id))[0],
    'the copy was never attached',
  );
  const record = (await s.forge.files.get(id))!;
  const blobPath = (blobKey: string) => join(s.forge.options.uploadFolder, blobKey);
  return {
    ...s,
    lines,
    id,
    originalPath: blobPath(record.blobKey),
    derivativePath: blobPath(derivative.blobKey),
    get: (path: string) => fetch(`${s.url}${path}`, { headers: bearer(key) }),
  };
}

interface AuditEntry {
  tenant: string | null;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string; id: string | null; name: string | null };
  requestId: string | null;
  clientAddress: string | null;
  details: Record<string, unknown>;
}

/** The one `file.integrity_failed` entry, read through the audit API once it has been appended. */
async function integrityEntry(s: Awaited<ReturnType<typeof serverWithFile>>): Promise<AuditEntry> {
  const read = async () => {
    const res = await s.get('/api/v1/audit?action=file.integrity_failed');
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: AuditEntry[] }).items;
  };
  await eventually(async () => ((await read()).length > 0 ? true : undefined), 'nothing was audited', {
    timeoutMs: 5000,
  });
  const items = await read();
  expect(items).toHaveLength(1);
  return items[0]!;
}

/** What every `file.integrity_failed` entry of these downloads holds: the caller, the request, the file. */
function expectAuditedAs(
  entry: AuditEntry,
  s: Awaited<ReturnType<typeof serverWithFile>>,
  requestId: unknown,
) {
  expect(entry).toMatchObject({
    tenant: 'default',
    actor: { type: 'api_key' },
    action: 'file.integrity_failed',
    target: { type: 'file', id: s.id },
    requestId,
    clientAddress: '127.0.0.1',
  });
  expect(entry.actor.id).toBeTruthy();
}

/** Rewrites a stored blob (read-only on disk) with `edit` applied to its bytes. */
async function rewrite(path: string, edit: (raw: Buffer) => Buffer) {
  const raw = edit(await readFile(path));
  await rm(path);
  await writeFile(path, raw, { mode: 0o400 });
}

/**
 * Downloads `path` and checks what the client and the operator see: a cut body (fewer bytes
 * than `Content-Length`, and an error), one error line with the request id, and nothing on
 * `console.error`. Resolves with that line.
 */
async function expectCutAndLoggedOnce(s: Awaited<ReturnType<typeof serverWithFile>>, path: string) {
  const consoleError = vi.spyOn(console, 'error');
  const res = await s.get(path);
  expect(res.status).toBe(200); // the headers went before the bad bytes were reached
  expect(res.headers.get('content-length')).toBe(String(CONTENT.length));
  const requestId = res.headers.get('X-Request-Id');
  expect(requestId).toBeTruthy();

  const { bytes, error } = await readBody(res);
  expect(error).toBeDefined();
  expect(bytes.length).toBeLessThan(CONTENT.length);
  expect(bytes.equals(CONTENT.subarray(0, bytes.length))).toBe(true);

  const errorsOf = () => s.lines.filter((l) => l.requestId === requestId && l.level >= ERROR);
  await eventually(() => (errorsOf().length > 0 ? true : undefined), 'the failure was never logged', {
    timeoutMs: 5000,
  });
  // Whatever else would report it (the server's stream plumbing, a second handler) has had its turn.
  await new Promise((r) => setTimeout(r, 200));
  expect(errorsOf()).toHaveLength(1);
  expect(consoleError).not.toHaveBeenCalled();
  expect((await s.get('/health')).status).toBe(200);
  return errorsOf()[0]!;
}

describe('a download whose stored bytes fail mid-stream', () => {
  it('is cut and logged once with its request id when an encrypted segment was tampered with', async () => {
    const s = await serverWithFile({ encryption: { keys: [randomBytes(32)] } });
    // Blob header (204 bytes), then 64 KiB + 16-byte tag per segment: flip a byte of segment 3.
    await rewrite(s.originalPath, (raw) => {
      raw[204 + 3 * (64 * 1024 + 16) + 100]! ^= 0x80;
      return raw;
    });
    const line = await expectCutAndLoggedOnce(s, `/api/v1/files/${s.id}/download`);
    expect(line).toMatchObject({
      fileId: s.id,
      err: expect.objectContaining({ code: 'BLOB_INTEGRITY_FAILED' }),
    });
    const entry = await integrityEntry(s);
    expectAuditedAs(entry, s, line.requestId);
    expect(entry.target.name).toBe('data.bin');
    // At most segments 0–2 went out (segment 3 failed its tag): as many as the log line says.
    expect(entry.details).toEqual({
      code: 'BLOB_INTEGRITY_FAILED',
      status: 200,
      length: CONTENT.length,
      sent: line.sent,
    });
    expect(entry.details.sent).toBeLessThanOrEqual(3 * 64 * 1024);
  });

  it('answers 500 and audits it when the blob fails before the headers (a tampered key slot)', async () => {
    const s = await serverWithFile({ encryption: { keys: [randomBytes(32)] } });
    // The wrapped data key of the first key slot (bytes 64–111 of the header).
    await rewrite(s.originalPath, (raw) => {
      raw[100]! ^= 0x80;
      return raw;
    });
    const res = await s.get(`/api/v1/files/${s.id}/download`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BLOB_INTEGRITY_FAILED');
    const entry = await integrityEntry(s);
    expectAuditedAs(entry, s, res.headers.get('X-Request-Id'));
    expect(entry.details).toEqual({
      code: 'BLOB_INTEGRITY_FAILED',
      status: 500,
      length: CONTENT.length,
      sent: 0,
    });
  });

  it('is cut and logged once when the stored original is shorter than its record says', async () => {
    const s = await serverWithFile();
    await rewrite(s.originalPath, (raw) => raw.subarray(0, 3 * 64 * 1024));
    const line = await expectCutAndLoggedOnce(s, `/api/v1/files/${s.id}/download`);
    expect(line).toMatchObject({
      fileId: s.id,
      err: expect.objectContaining({ code: 'BLOB_INTEGRITY_FAILED' }),
    });
    expect(JSON.stringify(line)).toContain(`${3 * 64 * 1024} of ${CONTENT.length}`);
    const entry = await integrityEntry(s);
    expectAuditedAs(entry, s, line.requestId);
    expect(entry.details).toEqual({
      code: 'BLOB_INTEGRITY_FAILED',
      status: 200,
      length: CONTENT.length,
      sent: 3 * 64 * 1024,
    });
  });

  it('is cut and logged once, naming the derivative, when a derivative’s stored bytes are cut short', async () => {
    const s = await serverWithFile();
    await rewrite(s.derivativePath, (raw) => raw.subarray(0, 100_000));
    const line = await expectCutAndLoggedOnce(s, `/api/v1/files/${s.id}/derivatives/copy.bin`);
    expect(line).toMatchObject({ fileId: s.id, derivative: 'copy.bin' });
    const entry = await integrityEntry(s);
    expectAuditedAs(entry, s, line.requestId);
    expect(entry.details).toEqual({
      code: 'BLOB_INTEGRITY_FAILED',
      status: 200,
      length: CONTENT.length,
      sent: 100_000,
      derivative: 'copy.bin',
    });
  });
});

describe('a backup archive download that fails mid-stream', () => {
  it('is cut and logged once with its request id, never printed with console.error', async () => {
    const s = await serverWithFile();
    // A name the listing takes for an archive, whose reads fail (EISDIR) once the headers went.
    const name = 'fileforge-backup-20260101T000000000Z-abcdef.tar.gz';
    await mkdir(join(s.forge.options.dataDir, 'backups', name), { recursive: true });
    const consoleError = vi.spyOn(console, 'error');

    const res = await s.get(`/api/v1/backups/${name}`);
    expect(res.status).toBe(200);
    const requestId = res.headers.get('X-Request-Id');
    const { bytes, error } = await readBody(res);
    expect(error).toBeDefined();
    expect(bytes.length).toBeLessThan(Number(res.headers.get('content-length')));

    const errorsOf = () => s.lines.filter((l) => l.requestId === requestId && l.level >= ERROR);
    await eventually(() => (errorsOf().length > 0 ? true : undefined), 'the failure was never logged', {
      timeoutMs: 5000,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(errorsOf()).toHaveLength(1);
    expect(errorsOf()[0]).toMatchObject({ backup: name, sent: 0 });
    expect(consoleError).not.toHaveBeenCalled();
    // Not a stored file: nothing is audited as one.
    const audited = await s.get('/api/v1/audit?action=file.integrity_failed');
    expect(((await audited.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
