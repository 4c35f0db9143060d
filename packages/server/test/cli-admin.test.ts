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

describe('fileforge users password, role, disable and enable', () => {
  // Nine CLI runs and a server, each a cold start: ten seconds apiece on a loaded machine.
  it('changes a user as the API would, each change audited with the operator as actor', {
    timeout: 400_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const env = { DATA_DIR: dataDir, BCRYPT_ROUNDS: '4', LOG_LEVEL: 'warn' };
    const users = async (args: string[], password?: string) =>
      finish(spawnCli(['users', ...args], { ...env, FILEFORGE_PASSWORD: password ?? '' }));
    const admin = await users(['create', '--admin', '--email', 'root@example.test'], 'a long passphrase');
    expect(admin.code, admin.stderr).toBe(0);
    const pat = await users(['create', '--email', 'pat@example.test'], 'first passphrase');
    expect(pat.code, pat.stderr).toBe(0);

    const role = await users(['role', '--email', 'Pat@Example.test', '--role', 'editor']);
    expect(role.code, role.stderr).toBe(0);
    expect(role.stdout).toMatch(/^pat@example\.test \(tenant default, id \w+\) is now editor/);
    const password = await users(['password', '--email', 'pat@example.test'], 'second passphrase');
    expect(password.code, password.stderr).toBe(0);
    const short = await users(['password', '--email', 'pat@example.test'], 'short');
    expect(short.code).toBe(1);
    const disable = await users(['disable', '--email', 'pat@example.test']);
    expect(disable.code, disable.stderr).toBe(0);
    const nobody = await users(['enable', '--email', 'nobody@example.test']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/no user nobody@example\.test in tenant default/);

    const port = await freePort();
    const server = spawnCli(['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${port}`;
      const login = async (email: string, pw: string) => {
        for (let i = 0; i < 600; i++) {
          const res = await fetch(`${url}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password: pw }),
          }).catch(() => undefined);
          if (res) return res;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the server never answered');
      };
      expect((await login('pat@example.test', 'second passphrase')).status).toBe(401);
      // Enabled again while the server runs: the new password and role apply, the old password not.
      const enable = await users(['enable', '--email', 'pat@example.test']);
      expect(enable.code, enable.stderr).toBe(0);
      expect((await login('pat@example.test', 'first passphrase')).status).toBe(401);
      const ok = await login('pat@example.test', 'second passphrase');
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { user: { role: string } }).user.role).toBe('editor');

      const root = (await (await login('root@example.test', 'a long passphrase')).json()) as {
        accessToken: string;
      };
      const operator = userInfo().username;
      const res = await fetch(`${url}/api/v1/audit?actor=${encodeURIComponent(operator)}&limit=500`, {
        headers: { authorization: `Bearer ${root.accessToken}` },
      });
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as {
        items: Array<{ actor: unknown; action: string; target: { name: string }; details: unknown }>;
      };
      expect(
        items.every((e) => JSON.stringify(e.actor) === JSON.stringify({ type: 'cli', id: operator })),
      ).toBe(true);
      // Newest first; the refused changes (a short password, an unknown user) left none.
      expect(items.map((e) => [e.action, e.target.name, e.details]).reverse()).toEqual([
        ['user.create', 'root@example.test', { role: 'admin' }],
        ['user.create', 'pat@example.test', { role: 'viewer' }],
        ['user.update', 'pat@example.test', { role: 'editor' }],
        ['user.password', 'pat@example.test', {}],
        ['user.update', 'pat@example.test', { disabled: true }],
        ['user.update', 'pat@example.test', { disabled: false }],
      ]);
    } finally {
      await killHard(server);
    }
    const verify = await finish(spawnCli(['audit', 'verify'], env));
    expect(verify.code, verify.stdout).toBe(0);
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

    // An id it does not know is reported; the ids after it still run.
    const some = await finish(
      spawnCli(['reprocess', 'nope', b.id, '--json'], {
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
      }),
    );
    expect(some.code, some.stderr).toBe(1);
    expect(JSON.parse(some.stdout)).toEqual({ reprocessed: 1, failed: [{ id: 'nope', code: 'NOT_FOUND' }] });
    expect(some.stderr).toMatch(/^nope: NOT_FOUND /m);
  });
});
