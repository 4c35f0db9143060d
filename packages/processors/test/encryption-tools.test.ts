import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore, Forge } from '@fileforge/core';
import { writePdf } from '@fileforge/test-fixtures/pdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPdfProcessor } from '../src/documents/pdf.js';
import type { MediaMetadata } from '../src/media/probe.js';
import { createMediaProcessor } from '../src/media/processor.js';
import { hasBinary } from './binaries.js';
import { ingestProcessed, useForge } from './forge.js';
import { testVideo, topLevelBoxes } from './media-fixtures.js';

const key = randomBytes(32);

/** Records the paths the forge's store hands to tools through `withLocalFile`. */
function watchLocalFiles(forge: Forge): string[] {
  const paths: string[] = [];
  const blobs = forge.blobs as { -readonly [K in keyof BlobStore]: BlobStore[K] };
  const original = blobs.withLocalFile!.bind(blobs);
  blobs.withLocalFile = (key, work, options) =>
    original(
      key,
      (path) => {
        paths.push(path);
        return work(path);
      },
      options,
    );
  return paths;
}

/** Every file under `dir`, recursively (none when it does not exist). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

// Issue 12: with encryption at rest, tools that seek read a private decrypted temp file (never
// the ciphertext, never a pipe), removed after the step.
describe('tools that seek, with encryption at rest', () => {
  describe.skipIf(!(hasBinary('ffmpeg') && hasBinary('ffprobe')))(
    'ffmpeg (needs ffmpeg)',
    { timeout: 120_000 },
    () => {
      let dir: string;
      let mp4: Buffer;
      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'fileforge-enc-media-'));
        const path = await testVideo(dir, { seconds: 3, size: '320x240', rate: 10, name: 'moov-at-end.mp4' });
        const boxes = await topLevelBoxes(path);
        expect(boxes.indexOf('moov')).toBeGreaterThan(boxes.indexOf('mdat'));
        mp4 = await readFile(path);
      }, 120_000);
      afterAll(() => rm(dir, { recursive: true, force: true }));
      const forge = useForge(() => ({ processors: [createMediaProcessor()], encryption: { keys: [key] } }));

      it('probes an MP4 whose index is at its end and takes its poster', async () => {
        const paths = watchLocalFiles(forge());
        const record = await ingestProcessed(forge(), mp4, { name: 'clip.mp4' });
        const decrypted = join(forge().options.dataDir, 'tmp', 'decrypted');
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths) expect(path.startsWith(decrypted)).toBe(true);
        expect(record.status).toBe('processed');
        expect(record.metadata.media as MediaMetadata).toMatchObject({
          format: 'mp4',
          video: { codec: 'h264' },
        });
        expect((await forge().files.derivatives(record.id)).map((d) => d.name)).toEqual(['poster.jpg']);
        // What is on disk is not the MP4, and no decrypted copy is left behind.
        const stored = await filesUnder(forge().options.uploadFolder);
        for (const path of stored) expect((await readFile(path)).includes(mp4.subarray(0, 64))).toBe(false);
        expect(await filesUnder(join(forge().options.dataDir, 'tmp', 'decrypted'))).toEqual([]);
      });
    },
  );

  describe.skipIf(!hasBinary('pdftoppm'))('pdftoppm (needs poppler-utils)', () => {
    const forge = useForge(() => ({ processors: [createPdfProcessor()], encryption: { keys: [key] } }));

    it('renders the preview of an encrypted PDF', async () => {
      const paths = watchLocalFiles(forge());
      const record = await ingestProcessed(forge(), writePdf(), { name: 'invoice.pdf' });
      expect(paths).toHaveLength(1);
      expect(paths[0]!.startsWith(join(forge().options.dataDir, 'tmp', 'decrypted'))).toBe(true);
      expect(record.status).toBe('processed');
      expect((await forge().files.derivatives(record.id)).map((d) => d.name)).toEqual(['preview-1.png']);
      expect(await filesUnder(join(forge().options.dataDir, 'tmp', 'decrypted'))).toEqual([]);
    });
  });
});
