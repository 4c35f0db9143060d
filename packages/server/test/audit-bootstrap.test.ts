import { createForge } from '@fileforge/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../src/node.js';
import { makeTempDir, stopTestServers, TOKEN_SECRET } from './support/server.js';

afterEach(stopTestServers);

const admin = { email: 'boot@example.test', password: 'a long bootstrap password' };

async function start(dataDir: string) {
  const forge = await createForge({ dataDir });
  const server = await startServer({
    forge,
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    tokens: { secret: TOKEN_SECRET },
    bcryptRounds: 4,
    bootstrapAdmin: admin,
    requeue: false,
  });
  return { forge, server };
}

// Issue 12: user changes are audited whichever door they come through, ADMIN_EMAIL included.
describe('the ADMIN_EMAIL bootstrap', () => {
  it('records the first admin as user.create, FileForge itself as actor, once', async () => {
    const dataDir = await makeTempDir();
    const first = await start(dataDir);
    await first.server.close();
    // Ignored once a user exists: no second entry.
    const again = await start(dataDir);
    try {
      const { items } = await again.forge.audit.list({ action: 'user.create' });
      expect(items).toEqual([
        expect.objectContaining({
          tenant: 'default',
          actor: { type: 'system', id: null },
          target: { type: 'user', id: expect.any(String), name: admin.email },
          details: { role: 'admin', setup: true, from: 'ADMIN_EMAIL' },
        }),
      ]);
      expect((await again.forge.audit.verify()).ok).toBe(true);
    } finally {
      await again.server.close();
    }
  });
});
