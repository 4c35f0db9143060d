/**
 * FileForge inside a plain `node:http` server: the server answers its own paths and hands
 * everything under `/files/` to FileForge's HTTP API, with the prefix removed.
 *
 *   ADMIN_PASSWORD='a long password' npm start -w examples/embed-node-http
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { createServer as createFileForgeServer, createLogger } from '@fileforge/server';
import { getRequestListener } from '@hono/node-server';

const PREFIX = '/files';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const temporary = !process.env.DATA_DIR;
const dataDir = process.env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'fileforge-embed-node-http-')));

const forge = await createForge({ dataDir, processors: defaultProcessors() });
const fileforge = await createFileForgeServer(forge, {
  // Sign access tokens with a stable secret in production; a random one ends sessions at restart.
  tokens: { secret: process.env.JWT_SECRET_KEY ?? randomBytes(32).toString('hex') },
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn', { stderr: true }),
  bcryptRounds: Number(process.env.BCRYPT_ROUNDS ?? 12),
});
// On a data directory without users, the first admin comes from the environment.
if (await fileforge.auth.needsSetup()) {
  const email = process.env.ADMIN_EMAIL ?? 'admin@example.com';
  const password = process.env.ADMIN_PASSWORD;
  if (!password) {
    console.error('Set ADMIN_PASSWORD (and ADMIN_EMAIL) for the first admin of this data directory');
    await fileforge.close();
    await forge.close();
    if (temporary) await rm(dataDir, { recursive: true, force: true });
    process.exit(2);
  }
  await fileforge.auth.setup(email, password);
  console.log(`first start: created the admin ${email}`);
}

// FileForge's Hono app as a Node request listener: it receives the Node request itself, which
// uploads stream from.
const fileforgeListener = getRequestListener(fileforge.app.fetch);

const server = createServer(
  // FileForge bounds slow headers and bodies itself; Node's 5-minute request timeout would cut
  // long uploads.
  { requestTimeout: 0 },
  (req, res) => {
    const url = req.url ?? '/';
    if (url === PREFIX || url.startsWith(`${PREFIX}/`)) {
      req.url = url.slice(PREFIX.length) || '/';
      void fileforgeListener(req, res);
      return;
    }
    if (url === '/' || url === '/status') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ app: 'intranet', files: `${PREFIX}/api/v1/files` }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  },
);
server.on('error', (error) => {
  console.error(`embed-node-http: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`listening on http://${host}:${bound}/ (FileForge API at ${PREFIX}/api/v1)`);
});

async function shutdown() {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await fileforge.close();
  await forge.close();
  if (temporary) await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
