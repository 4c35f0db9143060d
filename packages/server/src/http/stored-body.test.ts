import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { storedBody } from './stored-body.js';

/** A source that hands out `chunks`, then fails with `error` (or ends). */
function source(chunks: Buffer[], error?: Error): Readable {
  return Readable.from(
    (async function* () {
      yield* chunks;
      if (error) throw error;
    })(),
    { objectMode: false },
  );
}

/** Reads a web stream until it ends or fails; resolves with the bytes and the failure. */
async function drain(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, error: undefined };
      bytes += value.byteLength;
    }
  } catch (error) {
    return { bytes, error };
  }
}

const kib = (n: number) => Buffer.alloc(n * 1024, 7);

describe('storedBody', () => {
  it('hands on every byte and reports nothing when the source gives exactly the length', async () => {
    const onFailure = vi.fn();
    const cut = vi.fn();
    const body = storedBody(source([kib(64), kib(64)]), { length: 128 * 1024, onFailure, cut });
    expect(await drain(body)).toEqual({ bytes: 128 * 1024, error: undefined });
    expect(onFailure).not.toHaveBeenCalled();
    expect(cut).not.toHaveBeenCalled();
  });

  it('reports a failing source once and cuts the response, without erroring the body', async () => {
    const failure = new Error('segment 3 failed its integrity check');
    const onFailure = vi.fn();
    let reader!: ReadableStreamDefaultReader<Uint8Array>;
    // As @hono/node-server does: the connection closing cancels the body it was reading.
    const cut = () => void reader.cancel();
    reader = storedBody(source([kib(64)], failure), { length: 192 * 1024, onFailure, cut }).getReader();
    expect(await reader.read()).toMatchObject({ done: false });
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure).toHaveBeenCalledWith(failure, 64 * 1024);
  });

  it('reports a source that ends short of, or runs past, the length', async () => {
    for (const [chunks, got] of [
      [[kib(64)], 64 * 1024],
      [[kib(64), kib(128)], 192 * 1024],
    ] as const) {
      const onFailure = vi.fn();
      const body = storedBody(source([...chunks]), { length: 128 * 1024, onFailure });
      // Without a connection to cut, the body errors instead.
      const { bytes, error } = await drain(body);
      expect(bytes).toBeLessThanOrEqual(128 * 1024);
      expect(error).toMatchObject({ code: 'BLOB_INTEGRITY_FAILED', details: { expected: 128 * 1024, got } });
      expect(onFailure).toHaveBeenCalledTimes(1);
    }
  });

  it('reports nothing when the receiver goes away, and releases the source', async () => {
    const onFailure = vi.fn();
    const file = source([kib(64), kib(64), kib(64)]);
    const reader = storedBody(file, { length: 192 * 1024, onFailure, cut: vi.fn() }).getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((r) => setImmediate(r));
    expect(file.destroyed).toBe(true);
    expect(onFailure).not.toHaveBeenCalled();
  });
});
