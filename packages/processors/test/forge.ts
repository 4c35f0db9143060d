import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  createForge,
  type FileRecord,
  type Forge,
  type ForgeOptions,
  type IngestOptions,
} from '@fileforge/core';
import { afterEach, beforeEach } from 'vitest';
import { defaultProcessors } from '../src/defaults.js';

/**
 * Gives each test a real forge (SQLite + local disk) in a fresh temp directory, closed and
 * removed after the test. Returns a getter for the current test's forge.
 */
export function useForge(
  options: () => ForgeOptions = () => ({ processors: defaultProcessors() }),
): () => Forge {
  let forge: Forge | undefined;
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-processors-'));
    forge = await createForge({ dataDir: dir, ...options() });
  });
  afterEach(async () => {
    await forge?.close();
    forge = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!forge) throw new Error('useForge(): no forge outside a test');
    return forge;
  };
}

/** Ingests `content` as one stream chunk, waits for processing to finish and returns the record. */
export async function ingestProcessed(
  forge: Forge,
  content: Uint8Array | string,
  options: IngestOptions,
): Promise<FileRecord> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const { id } = await forge.ingest(Readable.from([bytes]), options);
  await forge.queue.onIdle();
  const record = await forge.files.get(id);
  if (!record) throw new Error(`record ${id} vanished`);
  return record;
}
