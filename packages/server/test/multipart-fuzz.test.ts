/**
 * Fuzz of the multipart receiver (issue 7): thousands of random, mostly broken requests.
 * Whatever arrives, the process must survive (no uncaught exception, no unhandled rejection),
 * every refusal must be a client error, and nothing partial may be stored: a stored file is
 * byte for byte one of the request's whole file parts, and no temp file is left behind.
 * Reproduce a failure with FUZZ_SEED=<seed> FUZZ_CASES=1.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type FileRecord, type Forge } from '@fileforge/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statusOf } from '../src/errors/status.js';
import { receiveUpload, type UploadOutcome } from '../src/upload/receive.js';
import { sha256 } from './support/fixtures.js';
import { type FuzzCase, generateCase } from './support/multipart-fuzz.js';
import { openConnection, requestHead } from './support/raw-http.js';
import { within } from './support/raw-upload.js';
import { eventually, startTestServer, stopTestServers } from './support/server.js';

const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 7_000_000);
const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const HTTP_CASES = Number(process.env.FUZZ_HTTP_CASES ?? Math.ceil(CASES / 10));
const LIMITS = { maxFileSize: 32 * 1024, maxFiles: 3 };

const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);
beforeAll(() => {
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});
afterAll(() => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
});
afterEach(stopTestServers);

/**
 * Every stored file is fsynced twice and the catalog checkpoints: in memory that costs nothing,
 * on a disk busy with other work it can stall for seconds (and SQLite's stalls block the loop).
 */
const fastDisk = () => (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/** A request body stream with headers, fed the case's chunks, ending or aborting as the case says. */
function fakeRequest(c: FuzzCase): IncomingMessage {
  const req = Object.assign(new Readable({ read() {} }), { headers: c.headers });
  const finish = () => {
    if (c.ending === 'end') req.push(null);
    else {
      req.emit('aborted');
      req.destroy();
    }
  };
  if (!c.spread) {
    for (const piece of c.chunks) req.push(piece);
    finish();
  } else {
    let next = 0;
    const step = () => {
      if (req.destroyed) return;
      if (next < c.chunks.length) {
        req.push(c.chunks[next++]);
        setImmediate(step);
      } else finish();
    };
    setImmediate(step);
  }
  return req as unknown as IncomingMessage;
}

/** Every record of the default tenant, all pages. */
async function allRecords(forge: Forge): Promise<FileRecord[]> {
  const records: FileRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await forge.files.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    records.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return records;
}

/** The bytes of a stored file, read back from the blob store. */
async function storedBytes(forge: Forge, record: FileRecord): Promise<Buffer> {
  const { stream } = await forge.files.open(record.id);
  const chunks: Buffer[] = [];
  for await (const piece of stream) chunks.push(piece as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Whether `bytes` is a whole file part of the request: in the bytes sent, it is followed by a
 * delimiter (so the parser saw the part end), and with the framing intact it is one of the
 * generated files.
 */
function isWholePart(c: FuzzCase, bytes: Buffer): boolean {
  if (!c.body.includes(Buffer.concat([bytes, c.delimiter]))) return false;
  return !c.framingIntact || c.files.some((file) => file.equals(bytes));
}

/** Judges one case's outcome; returns what is wrong with it, if anything. */
async function judge(forge: Forge, c: FuzzCase, outcome: UploadOutcome): Promise<string | undefined> {
  const kept = outcome.ok ? outcome.files : outcome.stored;
  for (const record of kept) {
    const bytes = await storedBytes(forge, record);
    if (bytes.length !== record.size || sha256(bytes) !== record.sha256)
      return `record ${record.id} does not match its blob`;
    if (!isWholePart(c, bytes))
      return `stored ${bytes.length} bytes that are not a whole file part of the request`;
  }
  if (!outcome.ok && statusOf(outcome.error.code) >= 500)
    return `refused with a server error ${outcome.error.code}`;
  const expected = c.files.map(sha256).join();
  if (c.wellFormed && !(outcome.ok && kept.map((r) => r.sha256).join() === expected)) {
    const code = outcome.ok ? 'ok' : outcome.error.code;
    return `a well-formed request was not stored whole (${code}, ${kept.length}/${c.files.length} files)`;
  }
  return undefined;
}

describe('multipart receiver fuzz (issue 7)', () => {
  it(`survives ${CASES} random requests in process and stores nothing partial`, {
    timeout: 240_000,
  }, async () => {
    const dataDir = await mkdtemp(join(fastDisk(), 'fileforge-fuzz-'));
    const forge = await createForge({ dataDir, processors: [], maxFileSize: LIMITS.maxFileSize });
    const tempArea = join(forge.options.uploadFolder, '.tmp');
    const failures: string[] = [];
    const reported = new Set<string>();
    let stored = 0;
    let wellFormed = 0;
    try {
      for (let seed = FIRST_SEED; seed < FIRST_SEED + CASES; seed++) {
        const c = generateCase(seed, LIMITS);
        wellFormed += c.wellFormed ? 1 : 0;
        const outcome = await within(
          receiveUpload(forge, fakeRequest(c), { ...LIMITS, idleTimeoutMs: 60_000, minBytesPerSecond: 0 }),
          10_000,
          `seed ${seed}: the receiver never settled`,
        );
        const kept = outcome.ok ? outcome.files : outcome.stored;
        for (const record of kept) reported.add(record.id);
        stored += kept.length;
        const wrong = await judge(forge, c, outcome);
        if (wrong) failures.push(`seed ${seed}: ${wrong}`);
        const left = await readdir(tempArea).catch(() => []);
        if (left.length > 0) failures.push(`seed ${seed}: temp files left: ${left.join(', ')}`);
        if (escaped.length > 0) failures.push(`seed ${seed}: escaped: ${String(escaped.splice(0))}`);
        if (failures.length >= 10) break;
      }
      expect(failures).toEqual([]);
      // The generator must exercise both sides: whole requests and broken ones.
      expect(wellFormed).toBeGreaterThan(CASES / 10);
      expect(stored).toBeGreaterThan(CASES / 10);
      // Nothing was stored that the receiver did not report.
      const records = await allRecords(forge);
      expect(records.filter((r) => !reported.has(r.id)).map((r) => r.name)).toEqual([]);
      expect(records.length).toBe(reported.size);
    } finally {
      await forge.close();
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(escaped).toEqual([]);
  });

  it(`survives ${HTTP_CASES} random requests over HTTP, Content-Length right, short or abandoned`, {
    timeout: 240_000,
  }, async () => {
    const dataDir = await mkdtemp(join(fastDisk(), 'fileforge-fuzz-http-'));
    try {
      const server = await startTestServer(
        { maxFileSize: LIMITS.maxFileSize, dataDir },
        { maxFilesPerRequest: LIMITS.maxFiles, uploadMinBytesPerSecond: 0, maxConnectionsPerClient: 0 },
      );
      const cases: FuzzCase[] = [];
      const failures: string[] = [];
      const base = FIRST_SEED + CASES;
      for (let seed = base; seed < base + HTTP_CASES && failures.length < 10; seed++) {
        const c = generateCase(seed, LIMITS);
        cases.push(c);
        const short = c.ending === 'end' && c.body.length > 8 && seed % 4 === 0;
        const connection = await openConnection(server.url);
        connection.send(
          requestHead('POST', '/api/v1/files', {
            ...server.authHeaders,
            'Content-Type': c.headers['content-type']!,
            'Content-Length': short ? c.body.length - 8 : c.body.length,
          }),
        );
        for (const piece of c.chunks) connection.send(piece);
        if (c.ending === 'abort') {
          connection.socket.destroy();
          continue;
        }
        const res = await within(connection.response(), 10_000, 'no answer').catch((error: Error) => ({
          status: 0,
          body: error.message,
        }));
        connection.socket.destroy();
        // A short Content-Length may be answered by Node's own 400 for the leftover bytes.
        if (res.status === 0 || res.status >= 500) failures.push(`seed ${seed}: ${res.status} ${res.body}`);
        else if (c.wellFormed && !short && res.status !== 201)
          failures.push(`seed ${seed}: got ${res.status}`);
      }
      expect(failures).toEqual([]);
      // Abandoned requests whose body had fully arrived are still being stored: wait for them.
      await eventually(
        async () => ((await readdir(join(server.uploadFolder, '.tmp'))).length === 0 ? true : undefined),
        'temp files were left behind',
        { timeoutMs: 30_000 },
      );
      const records = await allRecords(server.forge);
      expect(records.length).toBeGreaterThan(0);
      const partial: string[] = [];
      for (const record of records) {
        const bytes = await storedBytes(server.forge, record);
        if (!cases.some((c) => isWholePart(c, bytes))) partial.push(`${record.name} (${bytes.length} bytes)`);
      }
      expect(partial).toEqual([]);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect(escaped).toEqual([]);
    } finally {
      await stopTestServers();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
