import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { customProcessor } from './custom-processor.js';

const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-example-'));
const forge = await createForge({ dataDir, processors: defaultProcessors() });
forge.processors.register(customProcessor);

const done = new Promise<void>((resolve) => forge.events.on('file.processed', () => resolve()));
const record = await forge.ingest(Readable.from(['CUSTOM v2\nalpha\nbeta\ngamma\n']), {
  name: 'inventory.custom',
});
await done;

const processed = await forge.files.get(record.id);
console.log(JSON.stringify({ status: processed?.status, custom: processed?.metadata.custom }));

await forge.close();
await rm(dataDir, { recursive: true, force: true });
