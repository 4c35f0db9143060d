/**
 * FileForge inside an existing Hono app: the app keeps its own routes, and FileForge's HTTP
 * API is mounted under `/fileforge`, over a forge the app can also call directly.
 *
 *   npm start -w examples/embed-hono                   # http://localhost:3000, data in a temp dir
 *   PORT=8080 DATA_DIR=./data npm start -w examples/embed-hono
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { createLogger, createServer } from '@fileforge/server';
import { type HttpBindings, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { fileforgeRoute } from './fileforge-route.js';
import { firstStartKey } from './first-start.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const temporary = !process.env.DATA_DIR;
const dataDir = process.env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'fileforge-embed-hono-')));

const forge = await createForge({ dataDir, processors: defaultProcessors() });
const fileforge = await createServer(forge, {
  // Sign access tokens with a stable secret in production; a random one ends sessions at restart.
  tokens: { secret: process.env.JWT_SECRET_KEY ?? randomBytes(32).toString('hex') },
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn', { stderr: true }),
  bcryptRounds: Number(process.env.BCRYPT_ROUNDS ?? 12),
});

// The application's own routes…
const app = new Hono<{ Bindings: HttpBindings }>();
app.get('/', (c) => c.text('Acme Shop: our files are served under /fileforge/api/v1\n'));
// …which may use the same forge directly (here: the names of the last files stored).
app.get('/shop/recent-files', async (c) => {
  const { items } = await forge.files.list({ limit: 10 });
  return c.json(items.map((file) => ({ id: file.id, name: file.name, status: file.status })));
});
// …and FileForge's API beside them, under /fileforge (FileForge itself sees `/api/v1/…`).
app.all('/fileforge/*', fileforgeRoute(fileforge, '/fileforge'));

const key = await firstStartKey(fileforge.auth, 'embed-hono example');
if (key) console.log(`first start: created ${key.email} and an admin API key: ${key.apiKey}`);

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`listening on http://${host}:${info.port}/ (FileForge API at /fileforge/api/v1)`);
});
server.on('error', (error) => {
  console.error(`embed-hono: ${error.message}`);
  process.exit(1);
});

async function shutdown() {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fileforge.close();
  await forge.close();
  if (temporary) await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
