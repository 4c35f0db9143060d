import type { AuditEntry } from '@fileforge/core';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody as json, login } from './support/access-server.js';
import { type CliProcess, killHard, spawnCli } from './support/child.js';
import { createSlackFake, type SlackFake, startIntegrationServer } from './support/integrations.js';
import { ADMIN, startTestServer, stopTestServers, type TestServer } from './support/server.js';

let slack: SlackFake;
beforeAll(async () => {
  slack = createSlackFake();
  await slack.start();
});
afterAll(() => slack.close());
afterEach(stopTestServers);

type Page = { items: AuditEntry[]; nextCursor: string | null };

async function auditPage(server: TestServer, query = ''): Promise<Page> {
  const res = await server.api(`/api/v1/audit${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

/** Every stored row, as the database holds it (what an attacker with the file would read). */
async function rawRows(server: TestServer): Promise<string> {
  const { rows } = await sql`SELECT * FROM audit_log ORDER BY seq`.execute(server.forge.catalog.db!());
  return JSON.stringify(rows);
}

/** Raw SQL on the live catalog, with the append-only triggers dropped first, as a tamperer would. */
async function tamper(server: TestServer, statement: ReturnType<typeof sql>) {
  const db = server.forge.catalog.db!();
  await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(db);
  await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(db);
  await statement.execute(db);
}

async function verifyCli(
  server: TestServer,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const cli: CliProcess = spawnCli(['audit', 'verify'], { DATA_DIR: server.dataDir, LOG_LEVEL: 'warn' });
  const code = await Promise.race([
    cli.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000).unref()),
  ]);
  if (code === 'timeout') await killHard(cli);
  return { code, ...cli.output() };
}

/** Sends one file part named by RFC 5987 `filename*`: characters FormData would percent-encode arrive as they are. */
function uploadRaw(server: TestServer, name: string, content = 'hello'): Promise<Response> {
  const boundary = 'audit-test-boundary';
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(name)}\r\n` +
    `Content-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return server.api('/api/v1/files', {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
}

/** Uploads one file; fails the test unless it is stored. */
async function upload(server: TestServer, name: string, content = 'hello') {
  const res = await uploadRaw(server, name, content);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { files: Array<{ id: string; name: string }> }).files[0]!;
}

describe('audit trail (issue 12)', () => {
  it('records an upload whose name holds a newline and JSON as exactly one entry, the name as data', async () => {
    const server = await startTestServer();
    // A raw newline in the name: the server refuses the part (400), and that is one entry.
    const refused = await uploadRaw(server, 'a\nb{"x":1}.txt');
    expect(refused.status, await refused.clone().text()).toBe(400);
    const afterRefusal = (await auditPage(server, '?limit=500')).items;
    expect(afterRefusal).toMatchObject([
      { seq: 1, action: 'file.upload_rejected', details: { code: 'BAD_REQUEST' } },
    ]);

    // A line separator (stripped as invisible) and a forged entry in JSON: stored, one entry, as data.
    const stored = await upload(server, 'a\u2028b{"x":1}\u2029{"action":"user.create"}.txt');
    const { items } = await auditPage(server, '?limit=500');
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      seq: 2,
      action: 'file.upload',
      tenant: 'default',
      actor: { type: 'api_key' },
      target: { type: 'file', id: stored.id, name: stored.name },
      clientAddress: '127.0.0.1',
    });
    expect(items[0]!.target.name).toContain('{"x":1}');
    expect(items[0]!.target.name).toContain('{"action":"user.create"}');
    expect(items[0]!.requestId).toEqual(expect.any(String));
    expect(await server.forge.audit.verify()).toMatchObject({ ok: true, checked: 2 });
  });

  it('records downloads, deletes and rule changes with the request id', async () => {
    const server = await startTestServer();
    const file = await upload(server, 'report.txt');
    const download = await server.api(`/api/v1/files/${file.id}/download`);
    expect(download.status).toBe(200);
    await download.arrayBuffer();
    expect((await server.api(`/api/v1/files/${file.id}/download`, { method: 'HEAD' })).status).toBe(200);
    expect((await server.api(`/api/v1/files/${file.id}`, { method: 'DELETE' })).status).toBe(204);
    const rule = {
      id: 'recipes',
      category: 'recipes',
      conditions: [{ field: 'text', algorithm: 'any', value: 'x' }],
    };
    expect((await server.api('/api/v1/sorter/rules', json('POST', rule))).status).toBe(201);
    expect((await server.api('/api/v1/sorter/rules/recipes', { method: 'DELETE' })).status).toBe(204);

    const { items } = await auditPage(server);
    expect(items.map((e) => e.action).reverse()).toEqual([
      'file.upload',
      'file.download',
      'file.delete',
      'sorter.rule_put',
      'sorter.rule_delete',
    ]);
    expect(new Set(items.map((e) => e.requestId)).size).toBe(items.length);
  });

  it('keeps one linear chain under 50 parallel uploads', { timeout: 120_000 }, async () => {
    const server = await startTestServer();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => upload(server, `parallel-${i}.txt`, `content ${i}`)),
    );
    const result = await server.forge.audit.verify();
    expect(result).toMatchObject({ ok: true, checked: 50, head: { seq: 50 } });
    const page = await auditPage(server, '?action=file.upload&limit=500');
    expect(page.items.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 50 - i));
  });

  it('`fileforge audit verify` passes, then names an entry edited by one byte, and a deleted one', {
    timeout: 200_000,
  }, async () => {
    const server = await startTestServer();
    for (const name of ['one.txt', 'two.txt', 'three.txt', 'four.txt']) await upload(server, name);

    // The server keeps running (and holding the data directory) throughout.
    const intact = await verifyCli(server);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/intact: 4 entries checked \(head seq 4/);

    await tamper(server, sql`UPDATE audit_log SET target_name = 'twO.txt' WHERE seq = 2`);
    const edited = await verifyCli(server);
    expect(edited.code, edited.stderr).toBe(1);
    expect(edited.stdout).toMatch(/BROKEN at seq 2 \(hash_mismatch\)/);

    await tamper(server, sql`DELETE FROM audit_log WHERE seq IN (2, 3)`);
    const deleted = await verifyCli(server);
    expect(deleted.code, deleted.stderr).toBe(1);
    expect(deleted.stdout).toMatch(/BROKEN at seq 2 \(missing\)/);
  });

  it('is admin-only: viewers and editors get 403', { timeout: 60_000 }, async () => {
    const server = await startTestServer();
    for (const role of ['viewer', 'editor'] as const) {
      const email = `${role}@example.test`;
      const created = await server.api(
        '/api/v1/users',
        json('POST', { email, password: 'a long passphrase', role }),
      );
      expect(created.status).toBe(201);
      const { accessToken } = await login(server.url, email, 'a long passphrase');
      const res = await fetch(`${server.url}/api/v1/audit`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    }
  });

  it('filters by action, actor, target and time, newest first, with a cursor', {
    timeout: 60_000,
  }, async () => {
    const server = await startTestServer();
    const files = [];
    for (let i = 0; i < 5; i++) files.push(await upload(server, `f${i}.txt`));
    expect((await server.api(`/api/v1/files/${files[0]!.id}`, { method: 'DELETE' })).status).toBe(204);
    const bad = await fetch(
      `${server.url}/api/v1/auth/login`,
      json('POST', { email: ADMIN.email, password: 'wrong!' }),
    );
    expect(bad.status).toBe(401);

    const first = await auditPage(server, '?action=file.upload&limit=2');
    expect(first.items.map((e) => e.target.name)).toEqual(['f4.txt', 'f3.txt']);
    const second = await auditPage(server, `?action=file.upload&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((e) => e.target.name)).toEqual(['f2.txt', 'f1.txt']);
    const third = await auditPage(server, `?action=file.upload&limit=2&cursor=${second.nextCursor}`);
    expect(third).toMatchObject({ items: [{ target: { name: 'f0.txt' } }], nextCursor: null });

    expect(
      (await auditPage(server, `?targetType=file&targetId=${files[0]!.id}`)).items.map((e) => e.action),
    ).toEqual(['file.delete', 'file.upload']);
    const failed = await auditPage(server, '?action=auth.*');
    expect(failed.items).toMatchObject([
      {
        action: 'auth.login_failed',
        tenant: null,
        actor: { type: 'anonymous' },
        details: { code: 'UNAUTHENTICATED' },
      },
    ]);
    const actorId = first.items[0]!.actor.id!;
    expect((await auditPage(server, `?actor=${actorId}`)).items).toHaveLength(6);
    const at = (await auditPage(server)).items.find((e) => e.target.name === 'f2.txt')!.at;
    const since = await auditPage(server, `?action=file.upload&since=${encodeURIComponent(at)}`);
    expect(since.items.map((e) => e.target.name)).toEqual(['f4.txt', 'f3.txt', 'f2.txt']);
    const until = await auditPage(server, `?action=file.upload&until=${encodeURIComponent(at)}`);
    expect(until.items.map((e) => e.target.name)).toEqual(['f1.txt', 'f0.txt']);
    expect((await server.api('/api/v1/audit?since=yesterday')).status).toBe(400);
  });

  it('never stores a secret: passwords, tokens, API keys, connector credentials, webhook secrets', {
    timeout: 120_000,
  }, async () => {
    const server = await startIntegrationServer({
      connectors: { settings: { slack: { endpoints: slack.apiUrl } } },
    });
    const secrets: string[] = [ADMIN.password, 'another long passphrase', 'xoxb-fileforge-test'];
    const session = await login(server.url, ADMIN.email, ADMIN.password);
    secrets.push(session.accessToken, session.refreshToken);
    await fetch(
      `${server.url}/api/v1/auth/login`,
      json('POST', { email: ADMIN.email, password: 'wrong secret pw' }),
    );
    secrets.push('wrong secret pw');

    const key = await server.api('/api/v1/api-keys', json('POST', { name: 'ci', role: 'viewer' }));
    expect(key.status).toBe(201);
    const created = (await key.json()) as { id: string; key: string };
    secrets.push(created.key);
    expect((await server.api(`/api/v1/api-keys/${created.id}`, { method: 'DELETE' })).status).toBe(204);

    const user = await server.api(
      '/api/v1/users',
      json('POST', { email: 'v@example.test', password: secrets[1], role: 'viewer' }),
    );
    expect(user.status).toBe(201);
    const userId = ((await user.json()) as { id: string }).id;
    const patched = await server.api(
      `/api/v1/users/${userId}`,
      json('PATCH', { password: 'a third long passphrase' }),
    );
    expect(patched.status).toBe(200);
    secrets.push('a third long passphrase');

    const connect = await server.api(
      '/api/v1/integrations/connect/slack',
      json('POST', { botToken: secrets[2] }),
    );
    expect(connect.status, await connect.clone().text()).toBe(201);
    expect((await server.api('/api/v1/integrations/slack', { method: 'DELETE' })).status).toBe(204);

    const hook = await server.api(
      '/api/v1/integrations/webhooks',
      json('POST', { name: 'crm', url: 'http://127.0.0.1:9/hooks?token=url-secret-123', events: ['file.*'] }),
    );
    expect(hook.status, await hook.clone().text()).toBe(201);
    const { id: hookId, secret } = (await hook.json()) as { id: string; secret: string };
    secrets.push(secret, 'url-secret-123');
    const rotated = await server.api(`/api/v1/integrations/webhooks/${hookId}/rotate-secret`, {
      method: 'POST',
    });
    secrets.push(((await rotated.json()) as { secret: string }).secret);
    expect((await server.api(`/api/v1/integrations/webhooks/${hookId}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    const logout = await fetch(
      `${server.url}/api/v1/auth/logout`,
      json('POST', { refreshToken: session.refreshToken }),
    );
    expect(logout.status).toBe(204);

    const actions = (await auditPage(server, '?limit=500')).items.map((e) => e.action).reverse();
    expect(actions).toEqual([
      'auth.login',
      'auth.login_failed',
      'key.create',
      'key.revoke',
      'user.create',
      'user.password',
      'integration.connect',
      'integration.disconnect',
      'webhook.create',
      'webhook.rotate',
      'webhook.delete',
      'auth.logout',
    ]);
    const rows = await rawRows(server);
    for (const value of secrets)
      expect(rows, `secret ${value.slice(0, 12)}… in the audit rows`).not.toContain(value);
  });
});
