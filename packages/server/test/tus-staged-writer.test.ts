import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { StagedWriter } from '../src/tus/staged-writer.js';
import { makeTempDir, stopTestServers } from './support/server.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

afterEach(stopTestServers);

describe('StagedWriter (the PATCH body sink of resumable uploads)', () => {
  it('writes many small reads at the offset, batched, and hashes every byte in order', async () => {
    const path = join(await makeTempDir(), 'staged');
    const head = randomBytes(1000);
    await writeFile(path, head);
    // 300 reads of 7 KiB: more than the high-water mark, so writes are batched (writev).
    const reads = Array.from({ length: 300 }, () => randomBytes(7 * 1024));
    const body = Buffer.concat(reads);
    const whole = createHash('sha256').update(head);
    const chunk = createHash('sha256');
    const sink = new StagedWriter(path, head.length, [whole, undefined, chunk]);
    await pipeline(Readable.from(reads), sink);

    expect(sink.written).toBe(body.length);
    const stored = await readFile(path);
    expect(stored.equals(Buffer.concat([head, body]))).toBe(true);
    expect(whole.digest('hex')).toBe(sha256(stored));
    expect(chunk.digest('hex')).toBe(sha256(body));
  });

  it('when the body breaks off under a write in flight, closes the file only after that write returned', async () => {
    const path = join(await makeTempDir(), 'staged');
    await writeFile(path, '');
    const first = randomBytes(8 * 1024 * 1024);
    const body = new Readable({ read() {} });
    const sink = new StagedWriter(path, 0, []);
    const done = pipeline(body, sink);
    const opening = Buffer.from('opening');
    body.push(opening);
    // Once the file is open and the first read written…
    while (sink.written === 0) await new Promise((resolve) => setImmediate(resolve));
    body.push(first);
    // …the connection drops while the 8 MiB write is in the thread pool (counted until it returns).
    while (sink.writableLength === 0) await new Promise((resolve) => process.nextTick(resolve));
    expect(sink.written).toBe(opening.length);
    body.destroy(new Error('connection reset'));
    const closed = new Promise((resolve) => sink.once('close', resolve));
    await expect(done).rejects.toThrow('connection reset');
    await closed;
    // Closed only once the write had returned: what it wrote is counted, and it is all there.
    expect(sink.written).toBe(opening.length + first.length);
    expect((await readFile(path)).equals(Buffer.concat([opening, first]))).toBe(true);
  });

  it('fails when the staged file does not exist (the upload is gone)', async () => {
    const sink = new StagedWriter(join(await makeTempDir(), 'missing'), 0, []);
    await expect(pipeline(Readable.from([Buffer.from('x')]), sink)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
