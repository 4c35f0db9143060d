/**
 * A loopback HTTP-agnostic TCP proxy for resumable-upload tests: it forwards client bytes
 * to a target at a bounded rate, counts them, can cut every open connection (mid-request)
 * once a byte count is reached, and can be pointed at another target (a restarted server on
 * another port) while clients keep its address.
 *
 * @module
 */
import { connect, createServer, type Socket } from 'node:net';

/** A running throttling proxy. */
export interface ThrottleProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Client → target bytes forwarded so far. */
  forwarded(): number;
  /** Cuts every open connection when `forwarded()` reaches `bytes` (once). */
  cutAt(bytes: number): Promise<void>;
  /** Cuts every open connection now. */
  cut(): void;
  /** Forwards new connections to `port` from now on. */
  retarget(port: number): void;
  close(): Promise<void>;
}

/** Starts a proxy to `127.0.0.1:targetPort` passing at most `bytesPerSecond` client→target. */
export async function startThrottleProxy(targetPort: number, bytesPerSecond: number): Promise<ThrottleProxy> {
  const sockets = new Set<Socket>();
  let target = targetPort;
  let forwarded = 0;
  let cutWaiter: { at: number; resolve: () => void } | undefined;
  const started = Date.now();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  };
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };
  const server = createServer((client) => {
    track(client);
    const upstream = connect({ host: '127.0.0.1', port: target });
    track(upstream);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      upstream.write(chunk);
      if (cutWaiter && forwarded >= cutWaiter.at) {
        const waiter = cutWaiter;
        cutWaiter = undefined;
        cut();
        waiter.resolve();
        return;
      }
      // Pace: pause the client until the average rate since the start is back under the cap.
      const aheadMs = (forwarded / bytesPerSecond) * 1000 - (Date.now() - started);
      if (aheadMs > 5) {
        client.pause();
        setTimeout(() => client.resume(), aheadMs).unref();
      }
    });
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded: () => forwarded,
    cutAt: (at) => new Promise<void>((resolve) => (cutWaiter = { at, resolve })),
    cut,
    retarget(next) {
      target = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
