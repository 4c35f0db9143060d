/**
 * `/health/detailed` is public: a failing component's `error` says which component failed and
 * how, in fixed words, and never repeats the raw error — which names the upload folder's
 * absolute path or the host and port of a Redis or PostgreSQL. The raw error is in the log.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRedisLockManager, type LockManager } from '@fileforge/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startAccessServer, stopAccessServers } from './support/access-server.js';
import { freePort } from './support/child.js';

const locksToClose: LockManager[] = [];
afterEach(async () => {
  await stopAccessServers();
  for (const locks of locksToClose.splice(0)) await locks.close();
});

type LogLine = { level: number; msg: string; component?: string; err?: { message: string } };
type Component = { status: string; error?: string };
type Detailed = { status: string; components: Record<string, Component> };

/** A logger that keeps every line, parsed, for the test to read. */
function recordingLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

async function probe(url: string) {
  const res = await fetch(`${url}/health/detailed`, { signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Detailed };
}

describe('/health/detailed names no path or host when a component fails', () => {
  it('says "storage unavailable" without the UPLOAD_FOLDER path, and logs the cause once', async () => {
    const { logger, lines } = recordingLogger();
    const s = await startAccessServer({ server: { logger } });
    const uploadFolder = s.forge.options.uploadFolder;
    // A file where the temp directory should be: the probe can neither make nor write into it.
    const tmp = join(uploadFolder, '.tmp');
    await rm(tmp, { recursive: true, force: true });
    await writeFile(tmp, 'not a directory');

    const failed = [await probe(s.url), await probe(s.url), await probe(s.url)];
    for (const { status, text, body } of failed) {
      expect(status).toBe(503);
      expect(body.status).toBe('unhealthy');
      expect(body.components.storage).toMatchObject({ status: 'unhealthy', error: 'storage unavailable' });
      expect(text).not.toContain(uploadFolder);
    }
    // The operator still finds the cause: the raw error, logged once for the three probes.
    const logged = lines.filter((l) => l.component === 'storage' && l.level === 40);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.err?.message).toContain(uploadFolder);

    await rm(tmp, { force: true });
    const recovered = await probe(s.url);
    expect(recovered.status).toBe(200);
    expect(recovered.body.components.storage?.error).toBeUndefined();
    expect(lines.filter((l) => l.component === 'storage' && l.level === 30)).toHaveLength(1);
  });

  it('says "redis unavailable…" without the Redis host and port', { timeout: 30_000 }, async () => {
    const port = await freePort(); // nothing listens there
    const { logger, lines } = recordingLogger();
    const locks = createRedisLockManager({ url: `redis://127.0.0.1:${port}`, prefix: 'x:' });
    locksToClose.push(locks);
    const s = await startAccessServer({ forge: { locks }, server: { logger } });

    const { status, text, body } = await probe(s.url);
    expect(status).toBe(503);
    expect(body.components.redis).toMatchObject({
      status: 'unhealthy',
      error: expect.stringMatching(/^redis unavailable(: [a-z -]+)?$/),
    });
    expect(text).not.toContain(`127.0.0.1:${port}`);
    const logged = lines.filter((l) => l.component === 'redis' && l.level === 40);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.err?.message).toContain(`127.0.0.1:${port}`);
  });
});
