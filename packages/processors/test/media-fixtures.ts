import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the test machine's ffmpeg (fixtures only: the code under test has its own runner). */
export async function ffmpeg(args: readonly string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);
}

/** ffprobe's JSON about a file, auto-detecting its format (fixtures are trusted). */
export async function ffprobe(path: string): Promise<{
  format: { format_name: string; duration: string };
  streams: {
    codec_type: string;
    codec_name: string;
    width?: number;
    height?: number;
    sample_rate?: string;
  }[];
}> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_format',
    '-show_streams',
    '-of',
    'json',
    path,
  ]);
  return JSON.parse(stdout);
}

/** A mono 440 Hz sine WAV (pcm_s16le, 44.1 kHz) with title/artist tags. */
export async function sineWav(dir: string, seconds = 3, name = 'sine.wav'): Promise<string> {
  const path = join(dir, name);
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${seconds}`,
    '-metadata',
    'title=Concert A',
    '-metadata',
    'artist=Test Tone',
    '-c:a',
    'pcm_s16le',
    path,
  ]);
  return path;
}

/**
 * An H.264/AAC MP4 of `testsrc2` plus a sine, in ffmpeg's default layout: the moov atom
 * (the index) written after mdat, at the end — no `+faststart`.
 */
export async function testVideo(
  dir: string,
  options: { seconds: number; size: string; rate?: number; name?: string },
): Promise<string> {
  const path = join(dir, options.name ?? 'video.mp4');
  const rate = options.rate ?? 30;
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${options.size}:rate=${rate}`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440',
    '-t',
    String(options.seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-threads',
    '2',
    path,
  ]);
  return path;
}

/** The types of an ISO BMFF file's top-level boxes, in file order, read from their headers. */
export async function topLevelBoxes(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    const types: string[] = [];
    let at = 0;
    while (at + 8 <= size) {
      await handle.read(header, 0, 16, at);
      const short = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      const boxSize = short === 1 ? Number(header.readBigUInt64BE(8)) : short === 0 ? size - at : short;
      if (boxSize < 8) throw new Error(`bad box ${type} at ${at}`);
      types.push(type);
      at += boxSize;
    }
    return types;
  } finally {
    await handle.close();
  }
}

/** The HLS playlist from security spec D1, pointing at a local file. */
export const HOSTILE_PLAYLIST =
  '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n';

/**
 * Whether a process still runs: `kill(pid, 0)` fails with ESRCH once it is reaped; a zombie
 * (killed but not yet reaped by its new parent) counts as dead.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Whether any process is left in the process group `pgid`. */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Polls `check` until it holds or `ms` pass. */
export async function eventually(check: () => boolean, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}
