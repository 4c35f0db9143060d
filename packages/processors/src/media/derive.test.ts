import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { sineWav } from '../../test/media-fixtures.js';
import { createMediaProcessor, type MediaProcessorMetadata } from './processor.js';

const tools = hasBinary('ffmpeg') && hasBinary('ffprobe');

describe.skipIf(!tools)('media processor derivatives (issue 9)', { timeout: 60_000 }, () => {
  let dir: string;
  let wav: Buffer;
  let failingFfmpeg: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-derive-'));
    wav = await readFile(await sineWav(dir, 1));
    // An ffmpeg that cannot draw anything: the probe (real ffprobe) succeeds, the waveform fails.
    failingFfmpeg = join(dir, 'ffmpeg');
    await writeFile(failingFfmpeg, '#!/bin/sh\necho "cannot draw" >&2\nexit 1\n');
    await chmod(failingFfmpeg, 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const forge = useForge(() => ({ processors: [createMediaProcessor({ ffmpegPath: failingFfmpeg })] }));

  it('records a waveform that cannot be drawn as missing and ends the file processed', async () => {
    const record = await ingestProcessed(forge(), wav, { name: 'tone.wav' });
    expect(record.status).toBe('processed');
    const media = record.metadata.media as MediaProcessorMetadata;
    expect(media).toMatchObject({ format: 'wav', audio: { codec: 'pcm_s16le' } });
    expect(media.missingDerivatives).toEqual([{ name: 'waveform.png', reason: 'media_invalid' }]);
    expect(await forge().files.derivatives(record.id)).toEqual([]);
    // The tool's own words stay in the log.
    expect(JSON.stringify(record)).not.toContain('cannot draw');
  });
});
