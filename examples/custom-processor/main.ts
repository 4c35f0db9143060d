/**
 * Registers a processor for `.custom` files, ingests one, and prints what the processor
 * recorded as one JSON line.
 *
 *   npm start -w examples/custom-processor            # a temporary data directory, removed at the end
 *   DATA_DIR=./data npm start -w examples/custom-processor
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { customProcessor } from './custom-processor.js';

const temporary = !process.env.DATA_DIR;
const dataDir = process.env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'fileforge-custom-processor-')));
const forge = await createForge({ dataDir, processors: defaultProcessors() });
forge.processors.register(customProcessor);

// Processing runs on the forge's queue: listen before ingesting, then wait for the outcome.
const outcome = new Promise<string>((resolve) => {
  forge.events.on('file.processed', () => resolve('processed'));
  forge.events.on('file.failed', () => resolve('failed'));
});
try {
  const record = await forge.ingest(Readable.from(['CUSTOM v2\nalpha\nbeta\ngamma\n']), {
    name: 'inventory.custom',
  });
  const status = await outcome;
  const processed = await forge.files.get(record.id);
  console.log(JSON.stringify({ status, custom: processed?.metadata.custom }));
} finally {
  await forge.close();
  if (temporary) await rm(dataDir, { recursive: true, force: true });
}
