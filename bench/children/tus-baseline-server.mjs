/**
 * Child: the resumable-upload baseline — a bare @tus/server with its @tus/file-store (which
 * hashes nothing, detects nothing and records nothing) on node:http, plus `GET /health` for
 * the bench's start-up probe. Plain JavaScript on bare `node`, like `fileforge serve` from
 * `packages/server/dist`. Env: PORT, HOST, DATA_DIR, MAX_FILE_SIZE.
 */
import { createServer } from 'node:http';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';

const tus = new Server({
  path: '/files',
  datastore: new FileStore({ directory: process.env.DATA_DIR ?? './tus' }),
  maxSize: Number(process.env.MAX_FILE_SIZE ?? 2 * 1024 ** 3),
  relativeLocation: true,
});

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy"}');
    return;
  }
  tus.handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
