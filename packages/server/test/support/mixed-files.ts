/**
 * A batch of small, distinct files of every kind the default processors handle — PNG and JPEG
 * (sharp), PDF (pdf.js + pdftoppm), MP3 and MP4 (ffmpeg), zip and text — for tests that run
 * many processing jobs. Media is made with the `ffmpeg` on `PATH` (check it with `hasBinary`).
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { noisyJpeg } from '@fileforge/test-fixtures/images';
import { buildZip } from '@fileforge/test-fixtures/zip';
import { makeLargeText, makePdf, makePng } from './fixtures.js';

const run = promisify(execFile);

/** One file to upload. */
export interface MixedFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** Runs ffmpeg to write `name` in `dir` and returns its bytes; the title tag makes each file distinct. */
async function ffmpeg(dir: string, name: string, input: string, codec: string[], title: string) {
  const path = join(dir, name);
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', input],
    ...codec,
    ...['-metadata', `title=${title}`, path],
  ]);
  const bytes = await readFile(path);
  await rm(path, { force: true });
  return bytes;
}

const KINDS = ['png', 'jpeg', 'pdf', 'text', 'zip', 'png', 'jpeg', 'pdf', 'audio', 'video'] as const;

/**
 * `count` distinct files cycling through PNG, JPEG, PDF, text, zip, PNG, JPEG, PDF, MP3 and MP4
 * (so 10 % audio, 10 % video, 20 % PDF, 40 % images). `dir` is scratch space for ffmpeg.
 */
export async function makeMixedFiles(dir: string, count: number): Promise<MixedFile[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i): Promise<MixedFile> => {
      const kind = KINDS[i % KINDS.length];
      const tag = `mixed ${i}`;
      switch (kind) {
        case 'png':
          return { name: `image-${i}.png`, type: 'image/png', bytes: makePng(96 + i, 64 + (i % 7)) };
        case 'jpeg':
          return { name: `photo-${i}.jpg`, type: 'image/jpeg', bytes: await noisyJpeg(200, 150) };
        case 'pdf':
          return {
            name: `invoice-${i}.pdf`,
            type: 'application/pdf',
            bytes: makePdf(`FileForge invoice ${i}`),
          };
        case 'text':
          return { name: `notes-${i}.txt`, type: 'text/plain', bytes: makeLargeText(4096, tag) };
        case 'zip':
          return {
            name: `bundle-${i}.zip`,
            type: 'application/zip',
            bytes: buildZip([
              { name: 'readme.txt', data: `${tag}\n`.repeat(50) },
              { name: 'data/values.csv', data: `n,square\n${i},${i * i}\n` },
            ]),
          };
        case 'audio':
          return {
            name: `tone-${i}.mp3`,
            type: 'audio/mpeg',
            bytes: await ffmpeg(
              dir,
              `tone-${i}.mp3`,
              `sine=frequency=${220 + i}:duration=0.5`,
              ['-c:a', 'libmp3lame', '-b:a', '32k'],
              tag,
            ),
          };
        default:
          return {
            name: `clip-${i}.mp4`,
            type: 'video/mp4',
            bytes: await ffmpeg(
              dir,
              `clip-${i}.mp4`,
              'testsrc=duration=0.5:size=96x64:rate=10',
              ['-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast'],
              tag,
            ),
          };
      }
    }),
  );
}
