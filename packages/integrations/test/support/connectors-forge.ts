/**
 * A real forge (temp dir, SQLite catalog) with the connectors extension, for connector tests
 * that go through the integrations service: `connect()` with credentials sealed in the
 * catalog, and file actions reading a stored file (`storeFile()` → `fileId`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type FileRecord, type Forge } from '@fileforge/core';
import {
  type ConnectorsExtension,
  type ConnectorsExtensionOptions,
  createConnectorsExtension,
  type IntegrationService,
} from '../../src/connectors/index.js';

/** The SECRET_KEY the test forges seal credentials with. */
export const TEST_SECRET_KEY = 'connectors-test-secret-key-0123456789abcdef';

/** A started forge with the connectors extension. */
export interface ConnectorsForge {
  forge: Forge;
  connectors: ConnectorsExtension;
  service: IntegrationService;
  /** Ingests `bytes` as a stored file named `name`. */
  storeFile(name: string, bytes: Buffer): Promise<FileRecord>;
  /** Closes the forge and removes its data dir. */
  close(): Promise<void>;
}

/** Opens a forge in a new temp dir with `createConnectorsExtension(options)`. */
export async function openConnectorsForge(
  options: Partial<ConnectorsExtensionOptions> = {},
): Promise<ConnectorsForge> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ff-connectors-'));
  const connectors = createConnectorsExtension({ secretKey: TEST_SECRET_KEY, ...options });
  const forge = await createForge({ dataDir, extensions: [connectors] });
  return {
    forge,
    connectors,
    service: connectors.service,
    storeFile: (name, bytes) => forge.ingest(Readable.from([bytes]), { name }),
    async close() {
      await forge.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
