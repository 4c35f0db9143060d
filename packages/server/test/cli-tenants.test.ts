/**
 * `fileforge tenants` (issue 14): an operator sets a tenant's quota from the command line,
 * in the same store the API writes, and the server refuses what would exceed it.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from './support/child.js';
import { makeTempDir, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

async function fileforge(args: string[], dataDir: string) {
  const cli = spawnCli(args, { DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const code = await cli.exited;
  return { code, ...cli.output() };
}

describe('fileforge tenants', () => {
  it('sets a quota the server then enforces, and prints usage', { timeout: 90_000 }, async () => {
    const dataDir = await makeTempDir('fileforge-tenants-');
    const bad = await fileforge(['tenants', 'quota', '--max-bytes', '12parsecs'], dataDir);
    expect(bad.code).toBe(2);

    const set = await fileforge(['tenants', 'quota', '--max-bytes', '1MiB', '--json'], dataDir);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      tenant: 'default',
      bytes: 0,
      files: 0,
      quota: { maxBytes: 1024 * 1024, maxFiles: null },
    });

    const s = await startTestServer({ dataDir });
    const form = (n: number) => {
      const body = new FormData();
      body.append('file', new Blob([randomBytes(n)]), 'f.bin');
      return body;
    };
    expect((await s.api('/api/v1/files', { method: 'POST', body: form(600 * 1024) })).status).toBe(201);
    const refused = await s.api('/api/v1/files', { method: 'POST', body: form(600 * 1024) });
    expect(refused.status).toBe(413);
    await s.server.close();

    const usage = await fileforge(['tenants', 'usage'], dataDir);
    expect(usage.code, usage.stderr).toBe(0);
    expect(usage.stdout).toBe(
      `tenant default: ${600 * 1024} bytes in 1 files (reserved by uploads in flight: 0 bytes, 0 files); quota: max bytes ${1024 * 1024}, max files none\n`,
    );
  });
});
