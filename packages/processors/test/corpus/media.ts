/**
 * The media of issue 9's real corpus, made by the machine's ffmpeg (and one hand-built 8SVX,
 * which ffmpeg reads but cannot write): clips too short for a waveform, a video too thin for
 * a poster, types file-type misses or names oddly, and a TIFF whose directory lies past the
 * first 64 KiB.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpeg } from '../media-fixtures.js';

/** One corpus file and what processing must make of it. */
export interface CorpusFile {
  name: string;
  bytes: Buffer;
  /** The type the record must end with. */
  mime: string;
}

const sine = (seconds: number, rate = 44_100) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=1000:duration=${seconds}:sample_rate=${rate}`,
];

/** A mono 8-bit Amiga 8SVX (`FORM….8SVX`, VHDR + BODY) of `samples` samples of a 440 Hz tone at 8 kHz. */
export function amiga8svx(samples = 2400): Buffer {
  const data = Buffer.alloc(samples);
  for (let i = 0; i < samples; i++)
    data.writeInt8(Math.round(100 * Math.sin((2 * Math.PI * 440 * i) / 8000)), i);
  const vhdr = Buffer.alloc(20);
  vhdr.writeUInt32BE(samples, 0); // oneShotHiSamples
  vhdr.writeUInt16BE(8000, 12); // samplesPerSec
  vhdr.writeUInt8(1, 14); // ctOctave
  vhdr.writeUInt32BE(0x10000, 16); // volume 1.0
  const chunk = (id: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32BE(body.length, 4);
    return Buffer.concat([head, body]);
  };
  const form = Buffer.concat([Buffer.from('8SVX', 'latin1'), chunk('VHDR', vhdr), chunk('BODY', data)]);
  return chunk('FORM', form);
}

/** Offset of a little- or big-endian TIFF's first image directory. */
export function tiffDirectoryOffset(tiff: Buffer): number {
  return tiff.toString('latin1', 0, 2) === 'II' ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
}

/** Builds the media corpus in `dir` with ffmpeg. */
export async function mediaCorpus(dir: string): Promise<CorpusFile[]> {
  const made: [string, string, string[]][] = [
    // 441 samples: fewer than the waveform is wide (800 px).
    ['click-10ms.wav', 'audio/wav', [...sine(0.01), '-c:a', 'pcm_s16le']],
    ['beep-80ms.aiff', 'audio/aiff', [...sine(0.08, 8000), '-c:a', 'pcm_s16be']],
    // CPython's sndhdr.aifc: AIFF-C, 8 kHz, a few hundred samples.
    ['sndhdr.aifc', 'audio/aiff', [...sine(0.01, 8000), '-c:a', 'pcm_f32be', '-f', 'aiff']],
    // SciPy's 10 ms float WAV.
    ['float-10ms.wav', 'audio/wav', [...sine(0.01), '-c:a', 'pcm_f32le']],
    [
      'strip-4097x3.webm',
      'video/webm',
      [
        '-f',
        'lavfi',
        '-i',
        'color=c=red:s=4098x4:d=0.3:r=10',
        '-vf',
        'scale=4097:3',
        '-c:v',
        'libvpx',
        '-b:v',
        '50k',
      ],
    ],
    [
      'program.mpg',
      'video/mpeg',
      [
        '-f',
        'lavfi',
        '-i',
        'testsrc=s=160x120:d=0.5:r=25',
        ...sine(0.5),
        '-c:v',
        'mpeg1video',
        '-c:a',
        'mp2',
        '-f',
        'mpeg',
      ],
    ],
    ['tone.opus', 'audio/ogg', [...sine(0.3, 48_000), '-c:a', 'libopus']],
    ['sun.au', 'audio/basic', [...sine(0.3, 8000), '-f', 'au']],
    ['sound.w64', 'audio/x-w64', [...sine(0.3, 8000), '-c:a', 'pcm_s16le', '-f', 'w64']],
    [
      'scan.tiff',
      'image/tiff',
      ['-f', 'lavfi', '-i', 'testsrc=s=320x240:d=1', '-frames:v', '1', '-pix_fmt', 'rgb24'],
    ],
  ];
  const files: CorpusFile[] = [];
  await Promise.all(
    made.map(async ([name, mime, args]) => {
      const path = join(dir, name);
      await ffmpeg([...args, path]);
      files.push({ name, mime, bytes: await readFile(path) });
    }),
  );
  // A phone video shot upright: its display matrix turns it 90°.
  const upright = join(dir, 'upright-src.mp4');
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc=s=160x120:d=0.3:r=10',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    upright,
  ]);
  const rotated = join(dir, 'upright.mp4');
  await ffmpeg(['-i', upright, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', rotated]);
  files.push({ name: 'upright.mp4', mime: 'video/mp4', bytes: await readFile(rotated) });
  const amiga = amiga8svx();
  await writeFile(join(dir, 'amiga.8svx'), amiga);
  files.push({ name: 'amiga.8svx', mime: 'audio/x-8svx', bytes: amiga });
  return files.sort((a, b) => a.name.localeCompare(b.name));
}
