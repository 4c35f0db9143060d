import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { lingerOnClose } from './lingering-close.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server that refuses every POST at once, as a refused upload is: 413, body unread. */
async function refusingServer(linger: Parameters<typeof lingerOnClose>[1]) {
  const bodies: { read: number }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const body = { read: 0 };
    bodies.push(body);
    req.on('data', (chunk: Buffer) => {
      body.read += chunk.length;
    });
    req.pause();
    res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
    res.end('{"error":{"code":"FILE_TOO_LARGE"}}');
  });
  lingerOnClose(server, linger);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

describe('lingerOnClose', () => {
  it('stops reading after maxBytes and closes a client that never stops sending after lingerMs', async () => {
    const { url, bodies } = await refusingServer({ maxBytes: 256 * 1024, lingerMs: 300 });
    const { port } = new URL(url);
    // Half-open: it goes on sending after the server's FIN, as a client busy writing does.
    // Without lingering, Node would destroy the socket as soon as the answer was flushed.
    const socket: Socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => {});
    let answer = '';
    socket.on('data', (d: Buffer) => {
      answer += d.toString();
    });
    const closed = new Promise<number>((resolve) => {
      const started = Date.now();
      socket.once('close', () => resolve(Date.now() - started));
    });
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n');
    const chunk = Buffer.alloc(64 * 1024, 1);
    // Writes without waiting for the socket, as a careless client does, until it is closed.
    const pump = setInterval(() => {
      for (let i = 0; i < 16 && !socket.destroyed; i++) socket.write(chunk);
    }, 5);
    const elapsed = await closed;
    clearInterval(pump);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(10_000);
    // Read: what came before the answer went out, plus at most maxBytes and one chunk after.
    expect(bodies[0]!.read).toBeLessThan(256 * 1024 + 2 * 64 * 1024 + 1024 * 1024);
  });

  it('closes a connection whose body was read whole as Node does', async () => {
    const { url, server } = await refusingServer({ lingerMs: 60_000 });
    const res = await fetch(url, { method: 'POST', body: 'small' });
    expect(res.status).toBe(413);
    await res.text();
    // Lingering only applies to unread bodies: the server has no connection left open.
    await new Promise((r) => setTimeout(r, 200));
    const count = await new Promise<number>((r) => server.getConnections((_e, n) => r(n)));
    expect(count).toBe(0);
  });
});
