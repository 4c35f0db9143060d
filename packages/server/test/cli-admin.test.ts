import { userInfo } from 'node:os';
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, killHard, spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

async function finish(
  cli: CliProcess,
): Promise<{ code: number | 'timeout'; stdout: string; stderr: string }> {
  const code = await Promise.race([
    cli.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000).unref()),
  ]);
  if (code === 'timeout') await killHard(cli);
  return { code: code as number | 'timeout', ...cli.output() };
}

describe('fileforge users create', () => {
  it('creates an admin who can then log in, and refuses a taken email', { timeout: 200_000 }, async () => {
    const dataDir = await makeTempDir();
    const env = {
      DATA_DIR: dataDir,
      BCRYPT_ROUNDS: '4',
      LOG_LEVEL: 'warn',
      FILEFORGE_PASSWORD: 'a long passphrase',
    };
    const created = await finish(
      spawnCli(['users', 'create', '--admin', '--email', 'Root@Example.test'], env),
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created admin root@example\.test \(tenant default, id [0-9a-z]{26}\)/);

    const again = await finish(spawnCli(['users', 'create', '--email', 'root@example.test'], env));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);

    // The account works against a server over the same data directory.
    const port = await freePort();
    const server = spawnCli(['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${port}`;
      let login: Response | undefined;
      for (let i = 0; i < 600 && !login; i++) {
        login = await fetch(`${url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'root@example.test', password: 'a long passphrase' }),
        }).catch(() => undefined);
        if (!login) await new Promise((r) => setTimeout(r, 100));
      }
      expect(login?.status).toBe(200);
      const session = (await login!.json()) as { accessToken: string; user: { id: string; role: string } };
      expect(session.user.role).toBe('admin');

      // Audited like POST /api/v1/users, the local operator as actor; listed by the audit API.
      const res = await fetch(`${url}/api/v1/audit?action=user.create`, {
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as {
        items: Array<{ tenant: string; actor: unknown; target: unknown; details: unknown }>;
      };
      // One entry: the refused second create added none.
      expect(items).toEqual([
        expect.objectContaining({
          tenant: 'default',
          actor: { type: 'cli', id: userInfo().username },
          target: { type: 'user', id: session.user.id, name: 'root@example.test' },
          details: { role: 'admin' },
        }),
      ]);
    } finally {
      await killHard(server);
    }
    // The chain holding the CLI's entry and the server's (the login) is intact.
    const verify = await finish(spawnCli(['audit', 'verify', '--json'], env));
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checked: 2 });
  });
});

describe('fileforge reprocess --all', () => {
  it('runs processing again on every stored file when no server answers', { timeout: 120_000 }, async () => {
    const dataDir = await makeTempDir();
    // Files stored by a forge that had no processors yet.
    const bare = await createForge({ dataDir });
    const a = await bare.ingest(Readable.from([Buffer.from('alpha beta\n')]), { name: 'a.txt' });
    const b = await bare.ingest(Readable.from([Buffer.from('gamma\n')]), { name: 'b.txt' });
    await bare.queue.onIdle();
    expect((await bare.files.get(a.id))?.metadata.text).toBeUndefined();
    await bare.close();

    const run = await finish(
      spawnCli(['reprocess', '--all'], {
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
      }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/reprocessed 2 file\(s\)/);

    const forge = await createForge({ dataDir });
    try {
      expect((await forge.files.get(a.id))?.metadata.text).toMatchObject({ words: 2 });
      expect((await forge.files.get(b.id))?.metadata.text).toMatchObject({ words: 1 });
    } finally {
      await forge.close();
    }
  });
});
