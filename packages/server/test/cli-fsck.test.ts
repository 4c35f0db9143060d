import { chmod, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FsckReport } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { serveEnv, spawnCli } from './support/child.js';
import { makeTempDir, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

async function upload(api: (p: string, i?: RequestInit) => Promise<Response>, name: string, text: string) {
  const form = new FormData();
  form.append('file', new File([text], name, { type: 'text/plain' }));
  const res = await api('/api/v1/files', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { files: Array<{ id: string }> }).files[0]!.id;
}

async function fsck(dataDir: string, ...args: string[]) {
  const cli = spawnCli(['fsck', '--json', ...args], serveEnv(0, dataDir));
  const code = await cli.exited;
  const { stdout, stderr } = cli.output();
  expect(stdout, stderr).toMatch(/^\{/);
  return { code, report: JSON.parse(stdout) as FsckReport };
}

describe('fileforge fsck (issue 12)', () => {
  it('finds orphans, missing and altered blobs beside a running server; --repair removes orphans and marks damage, served as 409 FILE_DAMAGED', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const server = await startTestServer({ dataDir });
    const clean = await fsck(dataDir);
    expect(clean.code, JSON.stringify(clean.report)).toBe(0);

    const gone = await upload(server.api, 'gone.txt', 'this blob will vanish');
    const altered = await upload(server.api, 'altered.txt', 'this blob will be edited');
    const kept = await upload(server.api, 'kept.txt', 'this one stays sound');
    const uploads = server.uploadFolder;
    const blobOf = async (id: string) => join(uploads, (await server.forge.files.get(id))!.blobKey);
    await rm(await blobOf(gone));
    const editedPath = await blobOf(altered);
    await chmod(editedPath, 0o600);
    await writeFile(editedPath, 'THIS blob will be edited');
    // An orphan from long ago (a crash between link and commit) and a young one (an upload in flight).
    const old = join(uploads, 'default', '01aaaaaaaaaaaaaaaaaaaaaaaa');
    const young = join(uploads, 'default', '01bbbbbbbbbbbbbbbbbbbbbbbb');
    await mkdir(dirname(old), { recursive: true });
    await writeFile(old, 'orphaned');
    await writeFile(young, 'being committed');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(old, twoHoursAgo, twoHoursAgo);

    const found = await fsck(dataDir);
    expect(found.code).toBe(1);
    const kinds = found.report.problems.map((p) => [p.kind, p.fileId ?? p.key]).sort();
    expect(kinds).toEqual(
      [
        ['blob-missing', gone],
        ['orphan-blob', 'default/01aaaaaaaaaaaaaaaaaaaaaaaa'],
        ['sha256-mismatch', altered],
      ].sort(),
    );
    // Read-only: nothing changed yet.
    expect((await server.api(`/api/v1/files/${altered}/download`)).status).toBe(200);

    const repaired = await fsck(dataDir, '--repair');
    expect(repaired.code, JSON.stringify(repaired.report)).toBe(0);
    expect(repaired.report.problems.map((p) => p.repaired).sort()).toEqual([
      'marked-damaged',
      'marked-damaged',
      'removed',
    ]);
    await expect(import('node:fs/promises').then((fs) => fs.stat(old))).rejects.toThrow();
    await expect(import('node:fs/promises').then((fs) => fs.stat(young))).resolves.toBeDefined();

    for (const id of [gone, altered]) {
      const res = await server.api(`/api/v1/files/${id}/download`);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FILE_DAMAGED');
    }
    const sound = await server.api(`/api/v1/files/${kept}/download`);
    expect(sound.status).toBe(200);
    expect(await sound.text()).toBe('this one stays sound');
    // The damage is still there (a person restores or deletes those files): fsck keeps saying so.
    expect((await fsck(dataDir)).code).toBe(1);
  });
});
