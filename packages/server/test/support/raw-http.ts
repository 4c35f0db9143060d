/**
 * HTTP/1.1 over a bare TCP socket, for requests no client library will send: bodies that
 * break their framing, bytes trickled one at a time, connections held open without a request,
 * a chosen source address (127.0.0.x) to play several clients.
 *
 * @module
 */
import { connect, type Socket } from 'node:net';

/** One response read off a raw connection. */
export interface RawHttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

/** A raw connection to a test server. */
export interface RawConnection {
  socket: Socket;
  /** Resolves once the server (or the client) has closed the connection. */
  closed: Promise<void>;
  /** Writes bytes; ignored once the connection is gone. */
  send(data: string | Buffer): void;
  /** The next complete response; rejects if the connection closes before one arrives. */
  response(): Promise<RawHttpResponse>;
  /** Bytes received and not yet consumed by {@link RawConnection.response}. */
  pending(): Buffer;
}

/** Options for {@link openConnection}. */
export interface OpenConnectionOptions {
  /** Source address, e.g. `127.0.0.2` to connect as another client on loopback. */
  localAddress?: string;
}

function parseHead(head: string): Pick<RawHttpResponse, 'status' | 'headers'> {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers };
}

/** Connects to the server at `url` and resolves once the connection is established. */
export function openConnection(url: string, options: OpenConnectionOptions = {}): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect({
    host: hostname,
    port: Number(port),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  let buffer = Buffer.alloc(0);
  let ended = false;
  let wake: (() => void) | undefined;
  // Resets after the server answered and closed are expected here; tests look at what arrived.
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake?.();
  });
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      ended = true;
      wake?.();
      resolve();
    });
  });
  const more = () =>
    new Promise<void>((resolve) => {
      wake = () => {
        wake = undefined;
        resolve();
      };
    });

  const connection: RawConnection = {
    socket,
    closed,
    send(data) {
      if (!socket.destroyed && socket.writable) socket.write(data);
    },
    pending: () => buffer,
    async response() {
      for (;;) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd >= 0) {
          const { status, headers } = parseHead(buffer.subarray(0, headEnd).toString('latin1'));
          const length = headers['content-length'];
          const bodyStart = headEnd + 4;
          if (length !== undefined && buffer.length >= bodyStart + Number(length)) {
            const body = buffer.subarray(bodyStart, bodyStart + Number(length)).toString('utf8');
            buffer = buffer.subarray(bodyStart + Number(length));
            return { status, headers, body };
          }
          if (length === undefined && ended) {
            const body = buffer.subarray(bodyStart).toString('utf8');
            buffer = Buffer.alloc(0);
            return { status, headers, body };
          }
        }
        if (ended)
          throw new Error(
            `The connection closed without a complete response: ${JSON.stringify(buffer.toString('latin1'))}`,
          );
        await more();
      }
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(connection));
    socket.once('error', reject);
  });
}

/** The head of an HTTP/1.1 request: request line, `Host`, `headers`, blank line. */
export function requestHead(
  method: string,
  path: string,
  headers: Record<string, string | number> = {},
): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join('')}\r\n`;
}
