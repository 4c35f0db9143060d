/**
 * The built `@fileforge/core` trains the classifier on its worker thread: the bundle finds
 * `dist/classifier/train-worker.js` and the worker loads from `dist/` alone. Run on bare
 * `node`, as the server and the bench children run it; from the sources, the core tests
 * (`packages/core/src/classifier/train-thread.test.ts`) cover the same.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCorpus } from '@fileforge/test-fixtures/corpus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, run } from './support/built-packages.js';

/** Labels 60 text files in a forge of the built core, trains, and prints what happened. */
const CHILD = `
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
const [core, dataDir, corpusFile] = process.argv.slice(1);
const { createForge } = await import(core);
const documentText = {
  name: 'document',
  mimeTypes: ['text/*'],
  async extractMetadata(file) {
    const chunks = [];
    for await (const chunk of await file.open()) chunks.push(chunk);
    return { text: Buffer.concat(chunks).toString('utf8') };
  },
};
const warnings = [];
const logger = { debug() {}, info() {}, error() {}, warn: (_obj, msg) => warnings.push(msg) };
const forge = await createForge({ dataDir, processors: [documentText], logger, now: () => Date.UTC(2026, 0, 1) });
for (const doc of JSON.parse(readFileSync(corpusFile, 'utf8'))) {
  const record = await forge.ingest(Readable.from([Buffer.from(doc.text)]), { name: doc.name + '.txt' });
  await forge.queue.onIdle();
  await forge.sorter.correct('default', record.id, doc.category, 'user_1', { retrain: false });
}
const model = await forge.sorter.train();
await forge.close();
process.stdout.write(JSON.stringify({ labelCount: model.labelCount, categories: model.categories, trainedAt: model.trainedAt, warnings }));
`;

describe('the built @fileforge/core', () => {
  let dir = '';
  beforeAll(async () => {
    await ensureBuilt(['core']);
    dir = await mkdtemp(join(tmpdir(), 'fileforge-train-worker-'));
  }, 300_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('trains the classifier on its worker thread from dist/ on bare node', async () => {
    // 60 labels: above the count that trains in-process (IN_PROCESS_BELOW).
    const corpus = generateCorpus({ perCategory: 12, seed: 5 }).map((d) => ({
      name: d.name.replace(/\.[a-z]+$/i, ''),
      text: d.text,
      category: d.category,
    }));
    const corpusFile = join(dir, 'corpus.json');
    await writeFile(corpusFile, JSON.stringify(corpus));
    const core = pathToFileURL(join(ROOT, 'packages/core/dist/index.js')).href;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', CHILD, core, join(dir, 'data'), corpusFile],
      { cwd: dir, timeout: 120_000 },
    );
    // A missing worker script would train in-process with a warning; a broken one would reject.
    expect(JSON.parse(stdout)).toEqual({
      labelCount: 60,
      categories: ['contracts', 'cvs', 'invoices', 'minutes', 'recipes'],
      trainedAt: '2026-01-01T00:00:00.000Z',
      warnings: [],
    });
  }, 120_000);
});
