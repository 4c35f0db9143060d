import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { webStreamOf } from './web-stream.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server that hands each request to `onRequest` (which answers it itself). */
async function serve(onRequest: (req: IncomingMessage, answer: (status: number) => void) => void) {
  const server = createServer((req, res) => onRequest(req, (status) => res.writeHead(status).end()));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/**
 * A raw PATCH that declares `declared` bytes of body and sends `sent` of them, then goes quiet;
 * `afterSent` runs once they are written.
 */
function partialPatch(port: number, declared: number, sent: number, afterSent?: (socket: Socket) => void) {
  const socket = connect({ port, host: '127.0.0.1' }, () => {
    socket.write(`PATCH / HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n`);
    socket.write(Buffer.alloc(sent, 1), () => afterSent?.(socket));
  });
  socket.on('error', () => {});
  return socket;
}

/** Reads a web stream to its end; resolves with its chunks. */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/**
 * Reads the body of the request `send` makes through {@link webStreamOf} (after `onRequest` saw
 * the request); resolves with `'ended'` or the error the read failed with.
 */
function readOutcome(send: (port: number) => void, onRequest?: (req: IncomingMessage) => void) {
  return new Promise<unknown>((resolve) => {
    void serve((req) => {
      readAll(webStreamOf(req)).then(
        () => resolve('ended'),
        (error: unknown) => resolve(error),
      );
      onRequest?.(req);
    }).then(send);
  });
}

describe('webStreamOf', () => {
  it("streams a file's bytes, and closes the file when the reader cancels (a download cut off)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-web-stream-'));
    try {
      const path = join(dir, 'file.bin');
      const bytes = randomBytes(1024 * 1024 + 3);
      await writeFile(path, bytes);
      expect(Buffer.concat(await readAll(webStreamOf(createReadStream(path))))).toEqual(bytes);

      const file = createReadStream(path, { highWaterMark: 64 * 1024 });
      const reader = webStreamOf(file).getReader();
      await reader.read();
      await reader.cancel(new Error('the client went away'));
      await new Promise<void>((resolve) => (file.closed ? resolve() : file.once('close', () => resolve())));
      expect(file.destroyed).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on its signal, errors with the reason and lets go of the source, neither destroyed nor read on', async () => {
    const source = new Readable({ read() {} });
    source.push(Buffer.from('first'));
    const controller = new AbortController();
    const reader = webStreamOf(source, { signal: controller.signal }).getReader();
    expect(Buffer.from((await reader.read()).value!).toString()).toBe('first');
    const reason = new Error('body timed out');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    source.push(Buffer.from('later'));
    expect(source.destroyed).toBe(false);
    expect(source.listenerCount('data')).toBe(0);
    expect(source.isPaused()).toBe(true);
    source.destroy();
  });

  it('refuses an object-mode stream', () => {
    expect(() => webStreamOf(Readable.from([{ a: 1 }]))).toThrow(TypeError);
  });

  it("hands over the request's own chunks, byte-exact and uncopied", async () => {
    const sent = randomBytes(3 * 1024 * 1024 + 17);
    const received = new Promise<{ chunks: Uint8Array[]; emitted: Set<Buffer> }>((resolve, reject) => {
      void serve((req, answer) => {
        const emitted = new Set<Buffer>();
        req.on('data', (chunk: Buffer) => emitted.add(chunk));
        readAll(webStreamOf(req)).then((chunks) => {
          answer(204);
          resolve({ chunks, emitted });
        }, reject);
      }).then((port) => fetch(`http://127.0.0.1:${port}/`, { method: 'PATCH', body: sent }));
    });
    const { chunks, emitted } = await received;
    const hash = createHash('sha256');
    for (const chunk of chunks) hash.update(chunk);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(sent).digest('hex'));
    expect(chunks.length).toBeGreaterThan(1);
    // The very Buffers the request emitted: Node's `Readable.toWeb()` would hand over copies.
    for (const chunk of chunks) expect(emitted.has(chunk as Buffer)).toBe(true);
  });

  it('holds the request while nobody reads: the client is stopped by TCP, not buffered in memory', async () => {
    let emitted = 0;
    let request: IncomingMessage | undefined;
    const port = await serve((req) => {
      request = req;
      req.on('data', (chunk: Buffer) => {
        emitted += chunk.length;
      });
      webStreamOf(req); // never read
    });
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    socket.write(`PATCH / HTTP/1.1\r\nHost: x\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 7);
    for (let i = 0; i < 128; i++) socket.write(chunk); // 8 MiB offered at once
    await new Promise((r) => setTimeout(r, 500));
    socket.destroy();
    expect(request?.isPaused()).toBe(true);
    // What came before the pause: the queue's high-water mark and the read that crossed it.
    expect(emitted).toBeGreaterThan(0);
    expect(emitted).toBeLessThanOrEqual(request!.readableHighWaterMark + 128 * 1024);
  });

  it("errors the stream with the request's error when the client breaks off mid-body", async () => {
    const error = await readOutcome((port) =>
      partialPatch(port, 1024 * 1024, 100 * 1024, (s) => setTimeout(() => s.destroy(), 50)),
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('errors the stream with an AbortError when the request is destroyed without an error', async () => {
    const error = await readOutcome(
      (port) => partialPatch(port, 1024 * 1024, 64 * 1024),
      (req) => req.once('data', () => req.destroy()),
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
  });

  it('destroys the request when the reader cancels', async () => {
    const destroyed = new Promise<boolean>((resolve) => {
      void serve((req) => {
        const reader = webStreamOf(req).getReader();
        void reader.read().then(async () => {
          await reader.cancel(new Error('enough'));
          resolve(req.destroyed);
        });
      }).then((port) => partialPatch(port, 1024 * 1024, 64 * 1024));
    });
    expect(await destroyed).toBe(true);
  });

  it('is an empty, finished stream for a request whose body has already ended', async () => {
    const chunks = new Promise<Uint8Array[]>((resolve, reject) => {
      void serve((req, answer) => {
        req.resume();
        req.once('end', () => {
          readAll(webStreamOf(req)).then((read) => {
            answer(204);
            resolve(read);
          }, reject);
        });
      }).then((port) => fetch(`http://127.0.0.1:${port}/`, { method: 'PATCH', body: 'abc' }));
    });
    expect(await chunks).toEqual([]);
  });
});
