/**
 * Issue 9: a corpus of real files, made in the suite by the machine's tools (ffmpeg, tar,
 * iconv), goes through a real forge with `defaultProcessors()`. Every file must end
 * `processed` with its right lower-case type; text must come out as its real characters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, type FileRecord, type Forge } from '@fileforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveMetadata } from '../src/archives/archive-metadata.js';
import { defaultProcessors } from '../src/defaults.js';
import type { MediaProcessorMetadata } from '../src/media/processor.js';
import type { TextMetadata } from '../src/text.js';
import { hasBinary } from './binaries.js';
import { archiveCorpus } from './corpus/archives.js';
import { type CorpusFile, mediaCorpus, tiffDirectoryOffset } from './corpus/media.js';
import { CORPUS_TEXTS, encode } from './corpus/text.js';
import { ingestProcessed, useForge } from './forge.js';

const tools = hasBinary('ffmpeg') && hasBinary('ffprobe');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fileforge-corpus-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expectProcessed = (record: FileRecord, file: Pick<CorpusFile, 'name' | 'mime'>) => {
  expect(record.error, file.name).toBeNull();
  expect(record.status, file.name).toBe('processed');
  expect(record.mime, file.name).toBe(file.mime);
};

describe('real corpus (issue 9): text in legacy encodings and UTF-16/32 without a BOM', () => {
  const forge = useForge();

  it.each(CORPUS_TEXTS)(
    '$name is text, decoded to its real characters',
    async ({ name, text, charset, encodings }) => {
      const bytes = await encode(text, charset);
      const record = await ingestProcessed(forge(), bytes, { name });
      expectProcessed(record, { name, mime: 'text/plain' });
      const measured = record.metadata.text as TextMetadata;
      expect(encodings, name).toContain(measured.encoding);
      expect(measured.excerpt).not.toContain('\0');
      expect(measured.excerpt).toBe(text.slice(0, 500));
      expect(measured.characters).toBe([...text].length);
    },
  );
});

describe('real corpus (issue 9): archives with links and sparse data', () => {
  const forge = useForge();
  let files: CorpusFile[];
  beforeAll(async () => {
    files = await archiveCorpus(dir);
  });

  it('lists tarballs of a certificate folder with their symbolic and hard links', async () => {
    for (const file of files.filter((f) => f.name.startsWith('certs.tar'))) {
      const record = await ingestProcessed(forge(), file.bytes, { name: file.name });
      expectProcessed(record, file);
      const archive = record.metadata.archive as ArchiveMetadata;
      expect(archive, file.name).toMatchObject({ links: 4, unsafeLinks: 2 });
      const links = Object.fromEntries(
        archive.entries.filter((e) => e.link?.type === 'symlink').map((e) => [e.name, e.link]),
      );
      expect(links, file.name).toEqual({
        'certs/5ad8a5d6.0': { type: 'symlink', target: 'ca.pem' },
        'certs/mozilla.pem': {
          type: 'symlink',
          target: '/usr/share/ca-certificates/mozilla/ca.crt',
          unsafe: 'absolute',
        },
        'certs/escape': { type: 'symlink', target: '../../../etc/passwd', unsafe: 'escapes' },
      });
      // tar stores the second name of a hard-linked file as a link to the first it archived
      const hard = archive.entries.filter((e) => e.link?.type === 'hardlink');
      expect(hard, file.name).toHaveLength(1);
      expect(hard[0]?.link?.target).toMatch(/^certs\/ca(-copy)?\.pem$/);
    }
  });

  it('lists a 30 KB .npz whose sparse array compresses 160:1, and a JAR like a zip', async () => {
    for (const file of files.filter((f) => !f.name.startsWith('certs.tar'))) {
      const record = await ingestProcessed(forge(), file.bytes, { name: file.name });
      expectProcessed(record, file);
      expect(record.metadata.archive, file.name).toMatchObject({ format: 'zip', entryCount: 2 });
    }
    const npz = files.find((f) => f.name === 'arrays.npz');
    expect(npz?.bytes.length).toBeGreaterThan(20_000);
    expect(npz?.bytes.length).toBeLessThan(40_000);
  });
});

describe.skipIf(!tools)('real corpus (issue 9): media', { timeout: 60_000 }, () => {
  // One forge for the group, each file ingested once: the tests below read the results.
  let forge: Forge;
  let files: CorpusFile[];
  const records = new Map<string, FileRecord>();
  beforeAll(async () => {
    files = await mediaCorpus(dir);
    forge = await createForge({ dataDir: join(dir, 'forge'), processors: defaultProcessors() });
    for (const file of files)
      records.set(file.name, await ingestProcessed(forge, file.bytes, { name: file.name }));
  }, 120_000);
  afterAll(async () => {
    await forge?.close();
  });

  const record = (name: string) => {
    const found = records.get(name);
    if (!found) throw new Error(`no corpus file ${name}`);
    return found;
  };
  const media = (name: string) => record(name).metadata.media as MediaProcessorMetadata;
  const derivatives = async (name: string) => forge.files.derivatives(record(name).id);
  const derivativeNames = async (name: string) => (await derivatives(name)).map((d) => d.name);

  it('ends every file processed with its lower-case type', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files) {
      expectProcessed(record(file.name), file);
      expect(record(file.name).mime).toBe(file.mime.toLowerCase());
    }
  });

  it('draws waveforms of audio shorter than the picture is wide', async () => {
    for (const name of ['click-10ms.wav', 'float-10ms.wav', 'beep-80ms.aiff', 'sndhdr.aifc']) {
      expect(media(name).missingDerivatives, name).toBeUndefined();
      expect(await derivativeNames(name), name).toEqual(['waveform.png']);
    }
  });

  it('draws a poster of a 4097×3 video at least 2 px high', async () => {
    expect(await derivatives('strip-4097x3.webm')).toEqual([
      expect.objectContaining({ name: 'poster.jpg', width: 640, height: 2 }),
    ]);
  });

  it('records MPEG-1 program streams and Opus with their codecs, and the rotation of a phone video', () => {
    expect(media('program.mpg')).toMatchObject({
      format: 'mpeg',
      video: { codec: 'mpeg1video' },
      audio: { codec: 'mp2' },
    });
    expect(media('tone.opus')).toMatchObject({ format: 'ogg', audio: { codec: 'opus' } });
    expect(Math.abs(media('upright.mp4').video?.rotation ?? 0)).toBe(90);
  });

  it('recognises Sun audio, 8SVX and Wave64 through ffprobe, keeping what ingest saw', async () => {
    for (const name of ['sun.au', 'amiga.8svx', 'sound.w64']) {
      expect(record(name).metadata.detection, name).toMatchObject({ mime: 'application/octet-stream' });
      expect(media(name), name).toMatchObject({ audio: { sampleRate: 8000 } });
      expect(await derivativeNames(name), name).toEqual(['waveform.png']);
    }
  });

  it('reads a TIFF whose directory lies past the first 64 KiB', async () => {
    const tiff = files.find((f) => f.name === 'scan.tiff');
    expect(tiffDirectoryOffset(tiff?.bytes ?? Buffer.alloc(8))).toBeGreaterThan(64 * 1024);
    expect(record('scan.tiff').metadata.image).toMatchObject({ width: 320, height: 240 });
    expect(await derivativeNames('scan.tiff')).toEqual(['thumbnail-256.webp']);
  });
});
