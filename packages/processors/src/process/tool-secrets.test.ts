import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DerivativeOutput, DerivativeRecord, ProcessorContext } from '@fileforge/core';
import { writePdf } from '@fileforge/test-fixtures/pdf';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { testVideo } from '../../test/media-fixtures.js';
import { processorFile } from '../../test/processor-file.js';
import { createPdfProcessor } from '../documents/pdf.js';
import { createMediaProcessor } from '../media/processor.js';

/**
 * Every child the processors start goes through `child_process.spawn`: wrap it to record the
 * options it was given and, right after exec, the environment the kernel holds for the child
 * (`/proc/<pid>/environ`; the child cannot have been reaped yet, so it is its own).
 */
const spawned = vi.hoisted(
  () => [] as { command: string; options: { env?: Record<string, string> }; environ: string }[],
);
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  const spawn = ((command: string, args: readonly string[], options: { env?: Record<string, string> }) => {
    const child = actual.spawn(command, args, options as never);
    let environ = '';
    try {
      if (child.pid !== undefined) environ = readFileSync(`/proc/${child.pid}/environ`, 'latin1');
    } catch {
      // not started
    }
    spawned.push({ command, options, environ });
    return child;
  }) as typeof actual.spawn;
  return { ...actual, spawn };
});

const CANARIES = { FILEFORGE_CANARY_SECRET: 'canary-3b7e', JWT_SECRET_KEY: 'jwt-canary-9d21' };

function collectingContext(): ProcessorContext & { derivatives: DerivativeOutput[] } {
  const derivatives: DerivativeOutput[] = [];
  return {
    signal: new AbortController().signal,
    derivatives,
    async addDerivative(output) {
      derivatives.push(output);
      return { name: output.name } as DerivativeRecord;
    },
  };
}

/** The tools the processors started, each checked for the canaries in its options and in /proc. */
function toolsSeen(): string[] {
  for (const { command, options, environ } of spawned) {
    expect(environ, command).toContain('PATH=');
    for (const secret of Object.values(CANARIES)) {
      expect(environ, command).not.toContain(secret);
      expect(JSON.stringify(options.env), command).not.toContain(secret);
    }
    expect(Object.keys(options.env ?? {}).sort(), command).not.toContain('JWT_SECRET_KEY');
  }
  return [...new Set(spawned.map((s) => s.command))].sort();
}

describe('tools started by the processors', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-tool-secrets-'));
    Object.assign(process.env, CANARIES);
  });
  afterAll(async () => {
    for (const name of Object.keys(CANARIES)) delete process.env[name];
    await rm(dir, { recursive: true, force: true });
  });

  describe.skipIf(!hasBinary('pdftoppm'))('PDF preview', () => {
    it('renders with pdftoppm, by path and on stdin, without the server secrets', async () => {
      spawned.length = 0;
      const pdf = writePdf();
      const path = join(dir, 'doc.pdf');
      await writeFile(path, pdf);
      const processor = createPdfProcessor();
      for (const file of [
        { ...processorFile(pdf, { mime: 'application/pdf', name: 'doc.pdf' }), path },
        processorFile(pdf, { mime: 'application/pdf', name: 'doc.pdf' }),
      ]) {
        const context = collectingContext();
        const result = await processor.process?.(file, context);
        expect(result?.metadata).toEqual({ preview: 'preview-1.png' });
        expect(context.derivatives.map((d) => d.name)).toEqual(['preview-1.png']);
      }
      expect(toolsSeen()).toEqual(['pdftoppm']);
      expect(spawned).toHaveLength(2);
    });
  });

  describe.skipIf(!(hasBinary('ffmpeg') && hasBinary('ffprobe')))('media', () => {
    it('probes and renders a poster with ffprobe and ffmpeg without the server secrets', async () => {
      const video = await testVideo(dir, { seconds: 2, size: '160x120', rate: 10 });
      spawned.length = 0;
      const context = collectingContext();
      const file = { ...processorFile(new Uint8Array(), { mime: 'video/mp4', name: 'v.mp4' }), path: video };
      await createMediaProcessor().process?.(file, context);
      expect(context.derivatives.map((d) => d.name)).toEqual(['poster.jpg']);
      expect(toolsSeen()).toEqual(['ffmpeg', 'ffprobe']);
    });
  });
});
