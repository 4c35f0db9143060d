import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { createForge, type Forge } from '../index.js';

const open: Array<{ forge: Forge; dir: string }> = [];
afterEach(async () => {
  for (const { forge, dir } of open.splice(0)) {
    await forge.close();
    await rm(dir, { recursive: true, force: true });
  }
});

async function forge() {
  const dir = await mkdtemp(join(tmpdir(), 'fileforge-hold-'));
  const f = await createForge({ dataDir: dir, runJobs: false });
  open.push({ forge: f, dir });
  return f;
}
const bytes = (s: string) => Readable.from([Buffer.from(s)]);

describe('forge.holdBlobDeletes', () => {
  it('keeps the blobs of files deleted while held, and removes them at the last release', async () => {
    const f = await forge();
    const file = await f.ingest(bytes('held\n'), { name: 'a.txt' });
    const key = (await f.catalog.files.get('default', file.id))!.blobKey;
    const first = f.holdBlobDeletes();
    const second = f.holdBlobDeletes();
    await f.files.delete(file.id);
    expect(await text(await f.blobs.get(key))).toBe('held\n');
    await first();
    await first(); // releasing twice counts once
    expect(await f.blobs.stat(key)).not.toBeNull();
    await second();
    expect(await f.blobs.stat(key)).toBeNull();
  });

  it('a release never takes the bytes of a file stored meanwhile (same content)', async () => {
    const f = await forge();
    const file = await f.ingest(bytes('same content\n'), { name: 'a.txt' });
    const release = f.holdBlobDeletes();
    await f.files.delete(file.id);
    const again = await f.ingest(bytes('same content\n'), { name: 'b.txt' });
    await release();
    const { stream } = await f.files.open(again.id);
    expect(await text(stream)).toBe('same content\n');
  });
});
