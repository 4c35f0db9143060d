/**
 * A real forge for connector tests whose actions send a stored file: a temp data dir, the
 * `connectors` extension (credentials sealed in the SQLite catalog, files read from the forge's
 * blob store) and an HTTP client that may reach the fakes on 127.0.0.1. Shared by the DocuSign and
 * Teams tests; any connector test that needs `service.action(…, { fileId })` can use it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type Forge } from '@fileforge/core';
import {
  type ConnectorsExtension,
  type ConnectorsExtensionOptions,
  createConnectorsExtension,
  type IntegrationService,
} from '../../src/connectors/index.js';
import type { HttpClient } from '../../src/http/index.js';
import { loopbackHttp } from '../connectors-support.js';

/** A running forge with the connectors extension. */
export interface ConnectorForge {
  forge: Forge;
  connectors: ConnectorsExtension;
  service: IntegrationService;
  http: HttpClient;
  /** Stores `bytes` as a file named `name` (tenant `default`); resolves with its id. */
  store(name: string, bytes: Buffer): Promise<string>;
  /** Closes the forge and the HTTP client and removes the data dir. */
  close(): Promise<void>;
}

/** Opens a forge in a new temp dir with the connectors extension (`secretKey` preset). */
export async function openConnectorForge(
  options: Partial<ConnectorsExtensionOptions> = {},
): Promise<ConnectorForge> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ff-connectors-'));
  const http = loopbackHttp();
  const connectors = createConnectorsExtension({
    secretKey: 'connector-tests-secret-key-0123456789',
    http,
    ...options,
  });
  const forge = await createForge({ dataDir, extensions: [connectors] });
  return {
    forge,
    connectors,
    service: connectors.service,
    http,
    async store(name, bytes) {
      const record = await forge.ingest(Readable.from([bytes]), { name });
      return record.id;
    },
    async close() {
      await forge.close();
      await http.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
