/**
 * A workflow defined in TypeScript with the typed builder (`defineWorkflow`), run on demand on
 * one file: process it, then make a thumbnail with the image operations of
 * `@fileforge/processors`. Prints the run's steps and the derivatives as one JSON line.
 *
 *   npm start -w examples/typed-workflow                   # a generated SVG, a temp data dir
 *   FILE=./photo.jpg DATA_DIR=./data npm start -w examples/typed-workflow
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, defineWorkflow } from '@fileforge/core';
import { createOperationRegistry, defaultProcessors } from '@fileforge/processors';

const temporary = !process.env.DATA_DIR;
const dataDir = process.env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'fileforge-typed-workflow-')));
const registry = createOperationRegistry();
const forge = await createForge({
  dataDir,
  processors: defaultProcessors(),
  // The processor operations become step kinds: image.thumbnail, image.resize, media.*, …
  workflows: { operations: registry },
});

// Checked by the compiler as written (trigger and step settings) and by the schema at build().
const definition = defineWorkflow('thumbnail-on-demand')
  .describe('Process a file, then make a 64-pixel thumbnail of it')
  .on({ manual: true })
  .step('process', 'process')
  .step('thumbnail', 'image.thumbnail', {
    needs: ['process'],
    if: '{{ steps.process.output.processed }}',
    with: { size: 64, format: 'webp' },
    retry: { maxRetries: 2, retryDelayMs: 200 },
    timeoutMs: 20_000,
  })
  .build();

/** A small SVG picture, so the example runs without any file of yours. */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200">
  <rect width="320" height="200" fill="#1d4ed8"/><circle cx="160" cy="100" r="60" fill="#facc15"/>
</svg>\n`;

try {
  const workflow = await forge.workflows.define(definition);
  const file = process.env.FILE
    ? await forge.ingest(createReadStream(process.env.FILE), { name: basename(process.env.FILE) })
    : await forge.ingest(Readable.from([SVG]), { name: 'sunrise.svg' });
  const started = await forge.workflows.run(workflow.id, { fileId: file.id });

  // The run executes on the forge's queue: follow it until it has finished.
  let run = await forge.workflows.getRun(started.id);
  while (run.status === 'pending' || run.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    run = await forge.workflows.getRun(started.id);
  }
  const derivatives = await forge.files.derivatives(file.id);
  console.log(
    JSON.stringify({
      workflow: workflow.definition.name,
      run: run.status,
      steps: run.steps.map((s) => ({ name: s.name, status: s.status, attempts: s.attempts })),
      derivatives: derivatives.map((d) => ({ name: d.name, mime: d.mime, width: d.width, height: d.height })),
    }),
  );
  if (run.status !== 'completed') process.exitCode = 1;
} finally {
  await forge.close();
  if (temporary) await rm(dataDir, { recursive: true, force: true });
}
