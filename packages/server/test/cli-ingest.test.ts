import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createForge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, killHard, spawnCli } from './support/child.js';
import { makePng, sha256 } from './support/fixtures.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

describe('fileforge ingest', () => {
  it('stores a file directly in the data directory when no server answers', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const inbox = await makeTempDir();
    const png = makePng(32, 24);
    const path = join(inbox, 'scan.png');
    await writeFile(path, png);

    const cli = spawnCli(['ingest', path], {
      DATA_DIR: dataDir,
      PORT: String(await freePort()), // nothing listens there
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const code = await Promise.race([
      cli.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000).unref()),
    ]);
    if (code === 'timeout') await killHard(cli);
    const { stdout, stderr } = cli.output();
    expect(code, stderr).toBe(0);

    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`ingested 1 of 1 file(s), ${png.length} bytes`);
    const [id, status, mime, size, name] = lines[0]!.trim().split(/\s+/);
    expect({ status, mime, size: Number(size), name }).toEqual({
      status: 'processed',
      mime: 'image/png',
      size: png.length,
      name: 'scan.png',
    });

    // The record and its bytes really are in the data directory.
    const forge = await createForge({ dataDir });
    try {
      const record = await forge.files.get(id!);
      expect(record).toMatchObject({ name: 'scan.png', mime: 'image/png', status: 'processed' });
      const chunks: Buffer[] = [];
      for await (const chunk of (await forge.files.open(id!)).stream) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(png));
      // Audited like an HTTP upload, the local operator as actor.
      const { items } = await forge.audit.list({ action: 'file.upload' });
      expect(items).toEqual([
        expect.objectContaining({
          actor: { type: 'cli', id: userInfo().username },
          target: { type: 'file', id, name: 'scan.png' },
          details: { size: png.length, mime: 'image/png' },
        }),
      ]);
    } finally {
      await forge.close();
    }
  });
});
