import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type Forge } from '@fileforge/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

let parent: string;
let forge: Forge | undefined;
let previousUmask: number;

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'fileforge-modes-'));
  // The common default that made a fresh catalog world-readable (issue 7).
  previousUmask = process.umask(0o022);
});

afterEach(async () => {
  await forge?.close();
  forge = undefined;
  process.umask(previousUmask);
  await rm(parent, { recursive: true, force: true });
});

function capturingLogger() {
  const warnings: { obj: object; msg?: string }[] = [];
  const ignore = () => {};
  return {
    warnings,
    logger: {
      debug: ignore,
      info: ignore,
      error: ignore,
      warn: (obj: object, msg?: string) => warnings.push({ obj, msg }),
    },
  };
}

describe('data directory permissions (issue 7)', () => {
  it('keeps a fresh data directory, its catalog, WAL and blobs owner-only under umask 022', async () => {
    const dataDir = join(parent, 'data');
    forge = await createForge({ dataDir });
    const record = await forge.ingest(Readable.from([Buffer.from('secret notes')]), { name: 'notes.txt' });

    expect((await mode(dataDir)).toString(8)).toBe('700');
    const files = await readdir(dataDir);
    expect(files).toEqual(expect.arrayContaining(['fileforge.db', 'fileforge.db-wal']));
    for (const name of files.filter((f) => f.startsWith('fileforge.'))) {
      expect((await mode(join(dataDir, name))).toString(8), name).toBe('600');
    }
    const uploads = forge.options.uploadFolder;
    expect((await mode(uploads)).toString(8)).toBe('700');
    // Stored blobs are read-only: the sorted tree hard-links them (issue 10).
    expect((await mode(join(uploads, record.blobKey))).toString(8)).toBe('400');
    expect((await mode(join(uploads, record.tenant))).toString(8)).toBe('700');
  });

  it('warns at start-up when an existing data directory is open to other users, and narrows the catalog', async () => {
    const dataDir = join(parent, 'shared');
    await mkdir(dataDir);
    await chmod(dataDir, 0o755);
    const { warnings, logger } = capturingLogger();
    forge = await createForge({ dataDir, logger });
    expect(warnings.map((w) => w.msg)).toContainEqual(expect.stringContaining(`chmod 700 ${dataDir}`));
    // The operator's directory is left as it is; what FileForge creates inside is private.
    expect((await mode(dataDir)).toString(8)).toBe('755');
    expect((await mode(join(dataDir, 'fileforge.db'))).toString(8)).toBe('600');
  });

  it('does not warn about a private data directory', async () => {
    const dataDir = join(parent, 'private');
    await mkdir(dataDir, { mode: 0o700 });
    const { warnings, logger } = capturingLogger();
    forge = await createForge({ dataDir, logger });
    expect(warnings).toEqual([]);
  });
});
