/**
 * A loopback TCP proxy a test can cut: put it in front of the machine's PostgreSQL to lose the
 * database mid-test without stopping the shared server.
 *
 * @module
 */
import { connect, createServer, type Socket } from 'node:net';

/** How a cut proxy treats connections: `refuse` resets each at once; `blackhole` accepts and never answers. */
export type CutMode = 'refuse' | 'blackhole';

export interface TcpProxy {
  /** The port it listens on (127.0.0.1). */
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  /** Destroys every open connection; new ones are refused or left hanging until {@link restore}. */
  cut(mode?: CutMode): void;
  /** Forwards new connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) forwarding to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let mode: CutMode | null = null;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') return; // accepted, never answered
    const upstream = connect(target);
    track(upstream);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut(how = 'refuse') {
      mode = how;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      mode = null;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
