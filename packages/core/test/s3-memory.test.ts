/**
 * "Blobs … streamed in and out with multipart uploads, never buffered whole" (issue 13): a
 * child process puts a body far larger than its memory bound into the S3 emulator through the
 * S3 blob store and reads it back, sampling its own resident memory throughout. Buffering the
 * body whole (either way) would add the body's size to the peak; streaming keeps the growth
 * near `partSize × queueSize`. The emulator runs in this process, so it is not counted.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;
const BODY_MIB = 256;

let s3: S3Emulator;
beforeAll(async () => {
  s3 = await startS3Emulator({ bucket: 'fileforge-memory' });
});
afterAll(async () => {
  await s3?.close();
});

/** Chunk `i` of the body: 1 MiB, each different, so nothing can be deduplicated or cached. */
const chunkBody = `const b = Buffer.alloc(${MiB}, i % 251); b.writeUInt32BE(i, 0); return b;`;

function expectedSha(): string {
  const chunk = new Function('i', chunkBody) as (i: number) => Buffer;
  const hash = createHash('sha256');
  for (let i = 0; i < BODY_MIB; i++) hash.update(chunk(i));
  return hash.digest('hex');
}

function runChild(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const probe = `
    import { createHash } from 'node:crypto';
    import { Readable } from 'node:stream';
    import { createS3BlobStore } from '@fileforge/core/storage/s3';
    const chunk = (i) => { ${chunkBody} };
    let peak = 0;
    const sample = () => { peak = Math.max(peak, process.memoryUsage.rss()); };
    const store = createS3BlobStore({
      bucket: ${JSON.stringify(s3.bucket)}, endpoint: ${JSON.stringify(s3.endpoint)},
      region: ${JSON.stringify(s3.region)}, credentials: ${JSON.stringify(s3.credentials)},
      prefix: 'memory/', partSize: ${5 * MiB}, queueSize: 2, tempDir: ${JSON.stringify(join(tmpdir(), `fileforge-s3-memory-${process.pid}`))},
    });
    // Warm up (SDK loaded, connection open) before the baseline.
    await store.put('warm', Readable.from([Buffer.from('warm')]));
    await (await store.get('warm')).toArray();
    globalThis.gc?.();
    const base = process.memoryUsage.rss();
    const timer = setInterval(sample, 20);
    const put = await store.put('big', Readable.from((function* () { for (let i = 0; i < ${BODY_MIB}; i++) yield chunk(i); })()));
    const hash = createHash('sha256');
    let size = 0;
    for await (const part of await store.get('big')) { hash.update(part); size += part.length; sample(); }
    clearInterval(timer);
    sample();
    process.stdout.write(JSON.stringify({ put, size, sha256: hash.digest('hex'), growthMiB: (peak - base) / ${MiB} }));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--conditions=@fileforge/source',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        probe,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('S3 blob store memory (issue 13)', () => {
  it(`puts and gets a ${BODY_MIB} MiB blob with memory growth far below its size`, {
    timeout: 120_000,
  }, async () => {
    const result = await runChild();
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as {
      put: { size: number; sha256: string };
      size: number;
      sha256: string;
      growthMiB: number;
    };
    const sha = expectedSha();
    expect(out.put).toMatchObject({ size: BODY_MIB * MiB, sha256: sha });
    expect(out).toMatchObject({ size: BODY_MIB * MiB, sha256: sha });
    // Streaming holds partSize × queueSize (10 MiB) plus socket, SDK and GC slack (~65 MiB
    // measured here on Node 20); a body buffered whole would add at least the body (256 MiB).
    expect(out.growthMiB).toBeLessThan(BODY_MIB / 2);
  });
});
