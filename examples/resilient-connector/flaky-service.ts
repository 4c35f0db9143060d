import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local stand-in for Slack's Web API that is down for its first requests, then recovers. */
export interface FlakyService {
  /** Base URL to give the connector (`http://127.0.0.1:<port>/api/`). */
  url: string;
  /** Requests received so far (failed or answered). */
  requests(): number;
  close(): Promise<void>;
}

/**
 * Answers its first `failures` requests `503 Service Unavailable`, every later one as Slack's
 * `chat.postMessage` does (`{ ok: true, channel, ts }`).
 */
export async function startFlakyService(failures: number): Promise<FlakyService> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('error', () => res.destroy());
    req.on('end', () => {
      count += 1;
      if (count <= failures) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, channel: 'C0123456789', ts: `${Date.now() / 1000}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
