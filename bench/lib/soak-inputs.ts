import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { writePdfObjects } from '@fileforge/test-fixtures/pdf';
import { buildZip } from '@fileforge/test-fixtures/zip';
import sharp from 'sharp';

const run = promisify(execFile);

/** One generated input of the soak suite. */
export interface SoakFile {
  path: string;
  name: string;
  type: string;
  kind: SoakKind;
  bytes: number;
}

export type SoakKind = 'jpeg' | 'png' | 'pdf' | 'audio' | 'video' | 'zip' | 'text';

/** The mix, per 10 files: 2 JPEG, 1 PNG, 2 PDF, 1 audio, 1 video, 1 zip, 2 text. */
const MIX: readonly SoakKind[] = [
  'jpeg',
  'pdf',
  'text',
  'png',
  'audio',
  'jpeg',
  'pdf',
  'zip',
  'video',
  'text',
];

/** A text-only PDF of `pages` pages, 40 flate-compressed lines each, with a correct xref table. */
function pdf(seed: string, pages: number): Buffer {
  const escapeText = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);
  const pageIds = Array.from({ length: pages }, (_, i) => 4 + i * 2);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  for (let p = 0; p < pages; p++) {
    const lines = Array.from(
      { length: 40 },
      (_, l) =>
        `BT /F1 10 Tf 60 ${770 - l * 18} Td (${escapeText(`${seed}, page ${p + 1}, line ${l + 1}: the quick brown fox jumps over the lazy dog`)}) Tj ET`,
    ).join('\n');
    const packed = deflateSync(Buffer.from(lines, 'latin1'));
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${(pageIds[p] ?? 0) + 1} 0 R >>`,
      `<< /Length ${packed.length} /Filter /FlateDecode >>\nstream\n${packed.toString('latin1')}\nendstream`,
    );
  }
  return writePdfObjects(objects, { root: 1 });
}

/** A photo-like image: smooth gradients under noise, 1.2 to 4.8 megapixels depending on `i`. */
function photo(i: number, format: 'jpeg' | 'png') {
  const width = 1280 + (i % 5) * 320;
  const height = 960 + (i % 4) * 240;
  const noise = { type: 'gaussian', mean: 96 + (i % 64), sigma: 24 } as const;
  const image = sharp({ create: { width, height, channels: 3, background: '#000', noise } });
  return format === 'jpeg' ? image.jpeg({ quality: 85 }) : image.png({ compressionLevel: 6 });
}

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

/** Writes file `i` of the mix into `dir`; every file differs (seeded content, title tags). */
async function makeOne(dir: string, i: number): Promise<SoakFile> {
  const kind = MIX[i % MIX.length] ?? 'text';
  const seed = `soak file ${i}`;
  const named = (name: string, type: string) => ({ path: join(dir, name), name, type, kind });
  let file: Omit<SoakFile, 'bytes'>;
  switch (kind) {
    case 'jpeg':
    case 'png':
      file = named(`photo-${i}.${kind === 'jpeg' ? 'jpg' : 'png'}`, `image/${kind}`);
      await photo(i, kind).toFile(file.path);
      break;
    case 'pdf':
      file = named(`report-${i}.pdf`, 'application/pdf');
      await writeFile(file.path, pdf(seed, 1 + (i % 8)));
      break;
    case 'audio':
      file = named(`tone-${i}.mp3`, 'audio/mpeg');
      await ffmpeg([
        ...['-f', 'lavfi', '-i', `sine=frequency=${200 + (i % 800)}:duration=3`],
        ...['-c:a', 'libmp3lame', '-b:a', '96k', '-metadata', `title=${seed}`, file.path],
      ]);
      break;
    case 'video':
      file = named(`clip-${i}.mp4`, 'video/mp4');
      await ffmpeg([
        ...['-f', 'lavfi', '-i', 'testsrc2=duration=2:size=320x240:rate=15'],
        ...['-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast'],
        ...['-metadata', `title=${seed}`, file.path],
      ]);
      break;
    case 'zip':
      file = named(`bundle-${i}.zip`, 'application/zip');
      await writeFile(
        file.path,
        buildZip([
          { name: 'readme.md', data: `# ${seed}\n\n${'Some notes about the bundle.\n'.repeat(200)}` },
          {
            name: 'data/rows.csv',
            data: `n,square\n${Array.from({ length: 500 }, (_, n) => `${n},${n * n}`).join('\n')}\n`,
          },
          {
            name: 'data/raw.bin',
            data: new Uint8Array(64 * 1024).map((_, b) => (b * (i + 3)) & 0xff),
            method: 'store',
          },
        ]),
      );
      break;
    default:
      file = named(`notes-${i}.txt`, 'text/plain');
      await writeFile(file.path, `${seed}: Grüße aus FileForge ✓ the quick brown fox\n`.repeat(1000 + i));
  }
  return { ...file, bytes: (await stat(file.path)).size };
}

/**
 * `count` distinct files of the soak mix in `dir` (2 JPEG and 1 PNG of 1.2–4.8 MP, 2 PDFs of
 * 1–8 pages, 3 s of MP3, 2 s of 320×240 H.264, a zip and 2 text files per 10), made two at a
 * time (ffmpeg and sharp use their own threads).
 */
export async function makeSoakFiles(dir: string, count: number): Promise<SoakFile[]> {
  const files: SoakFile[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < count) {
        const i = next++;
        files[i] = await makeOne(dir, i);
      }
    }),
  );
  return files;
}
