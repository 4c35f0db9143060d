/**
 * `/api/v1/backups` for the admin screen: make a backup now (audited), see it listed with its
 * size, time and restore command, download the very archive; other roles and other tenants'
 * admins are refused.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestKeys, signingKeyOf } from '../src/backup/manifest-signature.js';
import { ADMIN, makeTempDir, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

describe('backups API', () => {
  it('makes, lists and downloads a backup, audited; only default-tenant admins may', async () => {
    const dataDir = await makeTempDir('fileforge-backups-');
    const outputDir = join(dataDir, 'archives');
    const { api, url, server } = await startTestServer(
      { dataDir },
      {
        backups: {
          databaseUrl: `sqlite:${join(dataDir, 'fileforge.db')}`,
          outputDir,
          signingKey: signingKeyOf(manifestKeys({ secretKey: 'backup-test-secret'.padEnd(32, 'x') })),
        },
      },
    );
    const form = new FormData();
    form.append('file', new File([Buffer.from('kept in the backup\n')], 'kept.txt'));
    expect((await api('/api/v1/files', { method: 'POST', body: form })).status).toBe(201);

    expect(await (await api('/api/v1/backups')).json()).toEqual({ dir: outputDir, items: [] });
    const made = await api('/api/v1/backups', { method: 'POST' });
    expect(made.status).toBe(201);
    const created = (await made.json()) as {
      name: string;
      bytes: number;
      objects: number;
      restoreCommand: string;
    };
    expect(created.objects).toBeGreaterThanOrEqual(2);
    expect(created.restoreCommand).toBe(`fileforge restore ${join(outputDir, created.name)}`);

    const list = (await (await api('/api/v1/backups')).json()) as {
      items: Array<{ name: string; bytes: number; createdAt: string }>;
    };
    expect(list.items).toEqual([expect.objectContaining({ name: created.name, bytes: created.bytes })]);
    expect(Date.parse(list.items[0]!.createdAt)).not.toBeNaN();

    const download = await api(`/api/v1/backups/${created.name}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain(created.name);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.equals(await readFile(join(outputDir, created.name)))).toBe(true);
    expect((await api('/api/v1/backups/..%2Fsecrets.json')).status).toBe(404);

    const trail = (await (await api('/api/v1/audit?action=backup.create')).json()) as {
      items: Array<{ target: { name: string } }>;
    };
    expect(trail.items.map((e) => e.target.name)).toEqual([created.name]);
    // The archive holds every tenant's files: taking it away is recorded too.
    const downloads = (await (await api('/api/v1/audit?action=backup.download')).json()) as {
      items: Array<{ target: { name: string }; details: { bytes: number } }>;
    };
    expect(downloads.items.map((e) => [e.target.name, e.details.bytes])).toEqual([
      [created.name, bytes.length],
    ]);

    // An editor, and the admin of another tenant, are refused.
    const refusedFor = async (role: 'editor' | 'admin', tenant: string) => {
      const email = `${role}-${tenant}@example.test`;
      await server.auth.createUser({ email, password: ADMIN.password, role, tenant });
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: ADMIN.password }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const res = await fetch(`${url}/api/v1/backups/${created.name}`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      return res.status;
    };
    expect(await refusedFor('editor', 'default')).toBe(403);
    expect(await refusedFor('admin', 'acme')).toBe(403);
  });
});
