import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  createForge,
  createId,
  type FileRecord,
  type Forge,
  forgeOptionsFromConfig,
  loadConfig,
  type WatchFolderOptions,
} from '@fileforge/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const STABILITY_MS = 200;
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PERMISSIONS_CHILD = fileURLToPath(new URL('./support/watch-permissions-child.ts', import.meta.url));
const WAIT = { timeout: 15_000, interval: 50 };

let dirs: string[] = [];
let forges: Forge[] = [];

afterEach(async () => {
  for (const f of forges) await f.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  forges = [];
  dirs = [];
});

async function tempDir(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), `fileforge-${prefix}-`));
  dirs.push(dir);
  return dir;
}

async function watchingForge(
  watch: Omit<WatchFolderOptions, 'folder'> & { folder?: string } = {},
  extra = {},
) {
  const folder = watch.folder ?? (await tempDir('inbox'));
  const forge = await createForge({
    dataDir: await tempDir('watch-data'),
    watch: { stabilityMs: STABILITY_MS, pollIntervalMs: 100, ...watch, folder },
    ...extra,
  });
  forges.push(forge);
  return { forge, folder };
}

async function records(forge: Forge): Promise<FileRecord[]> {
  return (await forge.files.list({ limit: 500 })).items;
}

/** A logger that keeps the fields of each warning (and drops everything else). */
function warningLogger() {
  const warnings: Array<Record<string, unknown>> = [];
  const quiet = () => {};
  const logger = {
    debug: quiet,
    info: quiet,
    error: quiet,
    warn: (fields: object) => warnings.push(fields as Record<string, unknown>),
  };
  return { warnings, logger };
}

/** Waits past the stability window and scans, so anything that would be ingested has been. */
async function settle(forge: Forge) {
  await delay(STABILITY_MS + 50);
  await forge.watch.rescan();
  await delay(STABILITY_MS + 50);
  await forge.watch.rescan();
}

describe('folder watcher (issue 10)', () => {
  it('ingests a file written slowly in chunks once, after it is complete, with its bytes', async () => {
    const { forge, folder } = await watchingForge();
    let writerDone = false;
    const uploadedWhileWriting: boolean[] = [];
    forge.events.on('file.uploaded', () => uploadedWhileWriting.push(!writerDone));

    const chunks = Array.from({ length: 12 }, (_, i) => `chunk ${i} ${'x'.repeat(1000)}\n`);
    const handle = await open(join(folder, 'slow.txt'), 'w');
    for (const chunk of chunks) {
      await handle.write(chunk);
      await delay(STABILITY_MS / 4); // pauses well inside the window
    }
    await handle.close();
    writerDone = true;

    await vi.waitFor(async () => expect(await records(forge)).toHaveLength(1), WAIT);
    await settle(forge);
    const [record] = await records(forge);
    expect(await records(forge)).toHaveLength(1);
    expect(uploadedWhileWriting).toEqual([false]);
    const expected = chunks.join('');
    expect(record).toMatchObject({ name: 'slow.txt', size: Buffer.byteLength(expected) });
    expect(record?.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(await text((await forge.files.open(record!.id)).stream)).toBe(expected);
    expect(record?.metadata).toMatchObject({ source: 'watch', watch: { folder, path: 'slow.txt' } });
    // Taken out of the folder once recorded; the claim area is empty again.
    expect(await readdir(folder)).toEqual(['.fileforge-claims']);
    expect(await readdir(join(folder, '.fileforge-claims'))).toEqual([]);
    // Audited like an upload through any other door (review: watched files had no entry).
    const audited = (await forge.audit.list({ action: 'file.upload' })).items;
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      tenant: 'default',
      actor: { type: 'system', id: null },
      target: { type: 'file', id: record!.id, name: 'slow.txt' },
      details: { size: Buffer.byteLength(expected), source: 'watch' },
    });
  });

  it('never ingests ignored names (system litter, lock files, partial downloads)', async () => {
    const { forge, folder } = await watchingForge();
    const litter = [
      '.DS_Store',
      'Thumbs.db',
      'desktop.ini',
      '~$budget.xlsx',
      '.~lock.a.odt#',
      'film.mkv.part',
    ];
    litter.push('setup.exe.crdownload', 'x.download', 'y.tmp', 'z.partial', '.notes.txt.swp');
    for (const name of [...litter, 'keep.txt']) await writeFile(join(folder, name), `content of ${name}`);

    await vi.waitFor(
      async () => expect((await records(forge)).map((r) => r.name)).toEqual(['keep.txt']),
      WAIT,
    );
    await settle(forge);
    expect((await records(forge)).map((r) => r.name)).toEqual(['keep.txt']);
    expect((await readdir(folder)).sort()).toEqual(['.fileforge-claims', ...litter].sort());
  });

  it('says once that a file whose name is not valid UTF-8 cannot be ingested, and ingests the rest', async () => {
    const { warnings, logger } = warningLogger();
    const { forge, folder } = await watchingForge({}, { logger });
    await writeFile(
      Buffer.concat([Buffer.from(`${folder}/bad`), Buffer.from([0xfe]), Buffer.from('.txt')]),
      'x',
    );
    await writeFile(join(folder, 'good.txt'), 'fine');
    await settle(forge);
    await settle(forge);
    expect((await records(forge)).map((r) => r.name)).toEqual(['good.txt']);
    expect(warnings.filter((w) => w.path === 'bad\ufffd.txt')).toHaveLength(1);
  });

  it('skips what it may not read (a locked subfolder, a file without read access) and ingests the rest', async () => {
    // Root reads everything: as root the watcher runs as `nobody`, who cannot.
    const asRoot = process.getuid?.() === 0;
    const root = await tempDir('locked');
    await chmod(root, 0o777);
    const folder = join(root, 'inbox');
    const dataDir = join(root, 'data');
    await mkdir(folder, { mode: 0o777 });
    await mkdir(dataDir, { mode: 0o777 });
    await chmod(folder, 0o777);
    await chmod(dataDir, 0o777);
    await mkdir(join(folder, 'locked'));
    await writeFile(join(folder, 'locked', 'inner.txt'), 'not for the watcher');
    await writeFile(join(folder, 'secret.txt'), 'not for the watcher either');
    await writeFile(join(folder, 'ok.txt'), 'fine');
    await chmod(join(folder, 'ok.txt'), 0o644);
    await chmod(join(folder, 'locked'), asRoot ? 0o700 : 0o000);
    await chmod(join(folder, 'secret.txt'), asRoot ? 0o600 : 0o000);
    try {
      const child = spawnSync(
        process.execPath,
        ['--conditions=@fileforge/source', '--import', 'tsx', PERMISSIONS_CHILD, dataDir, folder],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, HOME: root },
          ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
        },
      );
      expect(child.status, child.stderr).toBe(0);
      const seen = JSON.parse(child.stdout) as {
        started: unknown;
        names: string[];
        warnings: string[];
        left: string[];
      };
      expect(seen.started).toBe(true);
      expect(seen.names).toEqual(['ok.txt']);
      // Left where they were, each reported once, not hidden in the claim area.
      expect(seen.left).toEqual(['.fileforge-claims', 'locked', 'secret.txt']);
      expect(seen.warnings.filter((p) => p === 'locked')).toHaveLength(1);
      expect(seen.warnings.filter((p) => p === 'secret.txt')).toHaveLength(1);
    } finally {
      await chmod(join(folder, 'locked'), 0o755);
    }
  });

  it('recreates its claim area when it is gone (the folder recreated), and goes on ingesting', async () => {
    const { forge, folder } = await watchingForge();
    await rm(join(folder, '.fileforge-claims'), { recursive: true, force: true });
    await writeFile(join(folder, 'after.txt'), 'still watched');
    await vi.waitFor(
      async () => expect((await records(forge)).map((r) => r.name)).toEqual(['after.txt']),
      WAIT,
    );
  });

  it('refuses a processedFolder that is the watched folder itself (files would come back for ever)', async () => {
    const folder = await tempDir('self');
    await expect(watchingForge({ folder, processedFolder: folder })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });

  it('says once that a folder whose name is not valid UTF-8 keeps what it holds from being ingested', async () => {
    const { warnings, logger } = warningLogger();
    const { forge, folder } = await watchingForge({ recursive: true }, { logger });
    const bad = Buffer.concat([Buffer.from(`${folder}/bad`), Buffer.from([0xff])]);
    await mkdir(bad);
    await writeFile(Buffer.concat([bad, Buffer.from('/inner.txt')]), 'x');
    await writeFile(join(folder, 'good.txt'), 'fine');
    await settle(forge);
    await settle(forge);
    expect((await records(forge)).map((r) => r.name)).toEqual(['good.txt']);
    expect(warnings.filter((w) => w.path === 'bad\ufffd')).toHaveLength(1);
  });

  it('looks into subfolders only when recursive', async () => {
    const flat = await watchingForge();
    const deep = await watchingForge({ recursive: true });
    for (const { folder } of [flat, deep]) {
      await mkdir(join(folder, 'scans', '2026'), { recursive: true });
      await writeFile(join(folder, 'top.txt'), 'top');
      await writeFile(join(folder, 'scans', '2026', 'inner.txt'), 'inner');
    }

    await vi.waitFor(async () => expect(await records(deep.forge)).toHaveLength(2), WAIT);
    await vi.waitFor(async () => expect(await records(flat.forge)).toHaveLength(1), WAIT);
    await settle(flat.forge);
    expect((await records(flat.forge)).map((r) => r.name)).toEqual(['top.txt']);
    expect(existsSync(join(flat.folder, 'scans', '2026', 'inner.txt'))).toBe(true);
    const paths = (await records(deep.forge)).map((r) => (r.metadata.watch as { path: string }).path);
    expect(paths.sort()).toEqual(['scans/2026/inner.txt', 'top.txt']);
  });

  it('two watchers on one folder ingest each file exactly once between them', async () => {
    const folder = await tempDir('shared-inbox');
    const a = await watchingForge({ folder, pollIntervalMs: 50 });
    const b = await watchingForge({ folder, pollIntervalMs: 50 });
    const names = Array.from({ length: 30 }, (_, i) => `doc-${i}.txt`);
    await Promise.all(names.map((name) => writeFile(join(folder, name), `body of ${name}`)));

    const all = async () => [...(await records(a.forge)), ...(await records(b.forge))];
    await vi.waitFor(async () => expect(await all()).toHaveLength(names.length), WAIT);
    await settle(a.forge);
    await settle(b.forge);
    const ingested = (await all()).map((r) => r.name).sort();
    expect(ingested).toEqual([...names].sort());
    expect(await readdir(folder)).toEqual(['.fileforge-claims']);
  });

  it('moves ingested files to processedFolder when one is set', async () => {
    const processed = await tempDir('processed');
    const { forge, folder } = await watchingForge({ processedFolder: processed, recursive: true });
    await mkdir(join(folder, 'a'));
    await writeFile(join(folder, 'a', 'note.txt'), 'kept');
    await vi.waitFor(
      async () => expect(await readFile(join(processed, 'a', 'note.txt'), 'utf8')).toBe('kept'),
      WAIT,
    );
    expect(await records(forge)).toHaveLength(1);
  });

  it('sets a file FileForge refuses aside in rejected/ instead of retrying it forever', async () => {
    const { forge, folder } = await watchingForge({}, { maxFileSize: 10 });
    await writeFile(join(folder, 'big.txt'), 'far more than ten bytes');
    const rejected = join(folder, '.fileforge-claims', 'rejected');
    await vi.waitFor(async () => expect(await readdir(rejected)).toHaveLength(2), WAIT);
    const files = await readdir(rejected);
    const report = files.find((f) => f.endsWith('.error.json'))!;
    expect(JSON.parse(await readFile(join(rejected, report), 'utf8'))).toMatchObject({
      code: 'FILE_TOO_LARGE',
      path: 'big.txt',
    });
    expect(await records(forge)).toEqual([]);
  });

  it('refuses a watch folder that does not exist when the forge starts', async () => {
    await expect(
      createForge({
        dataDir: await tempDir('watch-data'),
        watch: { folder: join(tmpdir(), 'no-such-inbox-x9') },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('forge.ingest with a caller-chosen id (what makes the watcher exactly-once)', () => {
  it('stores the file under that id, records source and metadata, and refuses the id a second time', async () => {
    const forge = await createForge({ dataDir: await tempDir('ingest-id') });
    forges.push(forge);
    const id = createId();
    const first = await forge.ingest(Readable.from([Buffer.from('one')]), {
      name: 'a.txt',
      id,
      source: 'watch',
      metadata: { watch: { path: 'in/a.txt' } },
    });
    expect(first).toMatchObject({ id, metadata: { source: 'watch', watch: { path: 'in/a.txt' } } });
    await expect(
      forge.ingest(Readable.from([Buffer.from('two')]), { name: 'b.txt', id }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await text((await forge.files.open(id)).stream)).toBe('one');
    expect((await records(forge)).map((r) => r.id)).toEqual([id]);
    await expect(forge.ingest(Readable.from([]), { name: 'c.txt', id: '../x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('watch configuration', () => {
  it('WATCH_FOLDER, WATCH_RECURSIVE and WATCH_STABILITY_MS become the forge’s watch option', () => {
    const config = loadConfig({
      WATCH_FOLDER: '/srv/inbox',
      WATCH_RECURSIVE: 'true',
      WATCH_STABILITY_MS: '500',
    });
    expect(forgeOptionsFromConfig(config).watch).toEqual({
      folder: '/srv/inbox',
      recursive: true,
      stabilityMs: 500,
    });
    expect(forgeOptionsFromConfig(loadConfig({})).watch).toBeUndefined();
    expect(() => loadConfig({ WATCH_STABILITY_MS: 'soon' })).toThrow(/WATCH_STABILITY_MS/);
  });
});
