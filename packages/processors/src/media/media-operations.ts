import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DerivativeOutput, ProcessorFile } from '@fileforge/core';
import { z } from 'zod';
import {
  defineOperation,
  derivativeName,
  type Operation,
  type OperationContext,
} from '../operations/operation.js';
import type { ResolvedInput } from './input.js';
import { resolveInput, withLocalPath } from './input.js';
import {
  extractAudioShape,
  limitsShape,
  posterShape,
  timeoutShape,
  transcodeShape,
  waveformShape,
} from './operation-options.js';
import { type MediaToolOptions, type ResolvedLimits, resolveToolOptions } from './options.js';
import { OUTPUT_FORMATS } from './output-formats.js';
import type { MediaProbe } from './probe.js';
import {
  checkCodecs,
  type MediaRun,
  posterOf,
  probeWithin,
  type TranscodeRequest,
  transcodeTo,
  waveformOf,
  withPixelLimit,
} from './steps.js';

type Work<T> = (input: ResolvedInput, probe: MediaProbe, run: MediaRun) => Promise<T>;

/**
 * Runs `work` on a probed, limit-checked local copy of the file (the blob's own path when the
 * store has one). A type the media tools do not read → `UNSUPPORTED_MEDIA_TYPE`.
 */
function onMedia<T>(
  file: ProcessorFile,
  options: ResolvedLimits & { timeoutMs: number },
  context: OperationContext,
  tools: MediaToolOptions,
  work: Work<T>,
): Promise<T> {
  const { signal } = context;
  const run = withPixelLimit(
    { tools: resolveToolOptions(tools), timeoutMs: options.timeoutMs, signal },
    options,
  );
  return withLocalPath(file, { tempDir: context.tempDir, signal }, async (path) => {
    const input = resolveInput({ path, mime: file.record.mime });
    return work(input, await probeWithin(input, options, run), run);
  });
}

/**
 * Encodes into a private scratch directory and hands the result back as a stream that
 * removes the directory once it is read or destroyed (or at once, when the encode fails).
 */
async function encodeToDerivative(
  file: ProcessorFile,
  options: ResolvedLimits & TranscodeRequest & { timeoutMs: number; name?: string | undefined },
  context: OperationContext,
  tools: MediaToolOptions,
  kind: string,
): Promise<{ derivative: DerivativeOutput; size: number }> {
  checkCodecs(options);
  const format = OUTPUT_FORMATS[options.format];
  const dir = await mkdtemp(join(context.tempDir ?? tmpdir(), 'fileforge-encode-'));
  const output = join(dir, `output.${format.ext}`);
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const size = await onMedia(file, options, context, tools, (input, probe, run) =>
      transcodeTo(input, probe, options, output, options, run),
    );
    const content = createReadStream(output);
    content.once('error', () => {}); // the reader sees it too; 'close' still cleans up
    content.once('close', () => void remove());
    const name = options.name ?? `${kind}.${format.ext}`;
    return { derivative: { name, kind, mime: format.mime, content }, size };
  } catch (error) {
    await remove();
    throw error;
  }
}

const mediaOptions = { ...limitsShape, ...timeoutShape };

/**
 * The media operations (ffprobe/ffmpeg, the demuxer forced from the detected type, limits
 * checked from the probe before anything is decoded), configured with where the tools are:
 * `media.probe`, `media.transcode`, `media.extractAudio`, `media.posterFrame`,
 * `media.waveform`.
 */
export function createMediaOperations(tools: MediaToolOptions = {}): Operation[] {
  resolveToolOptions(tools); // bad configuration fails here, not on the first file
  return [
    defineOperation({
      name: 'media.probe',
      options: z.strictObject(mediaOptions),
      async run(file, options, context) {
        const probe = await onMedia(file, options, context, tools, async (_input, found) => found);
        return { metadata: { ...probe.metadata } };
      },
    }),
    defineOperation({
      name: 'media.transcode',
      options: z.strictObject({ ...mediaOptions, ...transcodeShape, name: derivativeName.optional() }),
      async run(file, options, context) {
        const { derivative, size } = await encodeToDerivative(file, options, context, tools, 'transcode');
        return { metadata: { format: options.format, size }, derivatives: [derivative] };
      },
    }),
    defineOperation({
      name: 'media.extractAudio',
      options: z.strictObject({ ...mediaOptions, ...extractAudioShape, name: derivativeName.optional() }),
      async run(file, options, context) {
        const { derivative, size } = await encodeToDerivative(file, options, context, tools, 'audio');
        return { metadata: { format: options.format, size }, derivatives: [derivative] };
      },
    }),
    defineOperation({
      name: 'media.posterFrame',
      options: z.strictObject({
        ...mediaOptions,
        ...posterShape,
        name: derivativeName.default('poster.jpg'),
      }),
      async run(file, options, context) {
        const frame = await onMedia(file, options, context, tools, (input, probe, run) =>
          posterOf(input, probe, options, run),
        );
        const { width, height, data: content } = frame;
        return {
          derivatives: [{ name: options.name, kind: 'poster', mime: 'image/jpeg', width, height, content }],
        };
      },
    }),
    defineOperation({
      name: 'media.waveform',
      options: z.strictObject({
        ...mediaOptions,
        ...waveformShape,
        name: derivativeName.default('waveform.png'),
      }),
      async run(file, options, context) {
        const image = await onMedia(file, options, context, tools, (input, probe, run) =>
          waveformOf(input, probe, options, options, run),
        );
        const { width, height, data: content } = image;
        return {
          derivatives: [{ name: options.name, kind: 'waveform', mime: 'image/png', width, height, content }],
        };
      },
    }),
  ];
}
