import { afterEach, describe, expect, it } from 'vitest';
import { openConnection, type RawConnection, requestHead } from './support/raw-http.js';
import { within } from './support/raw-upload.js';
import { eventually, startTestServer, stopTestServers } from './support/server.js';

const opened: RawConnection[] = [];

afterEach(async () => {
  for (const connection of opened.splice(0)) connection.socket.destroy();
  await stopTestServers();
});

const CAP = 3;

/** Opens a connection from `localAddress` (127.0.0.x plays another client) and remembers it for cleanup. */
async function connectFrom(url: string, localAddress = '127.0.0.1') {
  const connection = await openConnection(url, { localAddress });
  opened.push(connection);
  return connection;
}

/** `GET /health` on a connection; resolves with the response. */
async function health(connection: RawConnection) {
  connection.send(requestHead('GET', '/health'));
  return within(connection.response(), 10_000, 'no answer to GET /health');
}

/**
 * A connection the server has accepted and counted, then kept busy: it answered one request,
 * and the next request's headers are left unfinished so keep-alive does not close it.
 */
async function hold(url: string, localAddress?: string) {
  const connection = await connectFrom(url, localAddress);
  expect((await health(connection)).status).toBe(200);
  connection.send('GET /health HTTP/1.1\r\n');
  return connection;
}

describe('connections per client address (issue 7)', () => {
  it('answers the connection over the cap 429 TOO_MANY_CONNECTIONS with Retry-After, and recovers once others close', async () => {
    const server = await startTestServer({}, { maxConnectionsPerClient: CAP });
    const held = [];
    for (let i = 0; i < CAP; i++) held.push(await hold(server.url));

    const extra = await connectFrom(server.url);
    const refused = await health(extra);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers.connection).toBe('close');
    expect(JSON.parse(refused.body)).toMatchObject({
      error: { code: 'TOO_MANY_CONNECTIONS', details: { limit: CAP } },
    });
    await within(extra.closed, 5_000, 'the refused connection stayed open');

    // Another address is not affected.
    const other = await connectFrom(server.url, '127.0.0.2');
    expect((await health(other)).status).toBe(200);

    // Once the held connections close, this address may connect again.
    for (const connection of held) connection.socket.destroy();
    await eventually(async () => {
      const again = await connectFrom(server.url);
      const res = await health(again);
      again.socket.destroy();
      return res.status === 200 ? true : undefined;
    }, 'new connections were still refused after the held ones closed');
  });

  it('closes an over-cap connection that never sends a request', async () => {
    const server = await startTestServer({}, { maxConnectionsPerClient: 1 });
    await hold(server.url);
    const silent = await connectFrom(server.url);
    // The grace is 2 s; generous bound for a loaded machine.
    await within(silent.closed, 15_000, 'the silent over-cap connection was never closed');
    expect(silent.pending().length).toBe(0);
  });

  it('never caps connections from a trusted proxy', async () => {
    const server = await startTestServer({}, { maxConnectionsPerClient: 1, trustedProxies: ['127.0.0.3'] });
    const proxied = [];
    for (let i = 0; i < 4; i++) proxied.push(await connectFrom(server.url, '127.0.0.3'));
    const statuses = await Promise.all(proxied.map(async (c) => (await health(c)).status));
    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});
