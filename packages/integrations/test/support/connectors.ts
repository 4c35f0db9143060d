/**
 * What every connector test shares: the fakes' lifecycle ({@link useFakes}), an HTTP client
 * that may reach the fakes on 127.0.0.1, HA knobs with instant waits, a manual clock, an
 * in-memory file source, and a real forge with the connectors extension for actions that go
 * through the integrations service ({@link openConnectorForge}).
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type Forge, type ForgeOptions } from '@fileforge/core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  type Connector,
  type ConnectorsExtension,
  type ConnectorsExtensionOptions,
  createConnectorsExtension,
  type FileSource,
  type HaOptions,
  type IntegrationService,
} from '../../src/connectors/index.js';
import { createHttpClient, type HttpClient } from '../../src/http/index.js';

/** An SSRF-guarded client that allows loopback (the fakes) — what an operator's allow-list does. */
export function loopbackHttp(): HttpClient {
  return createHttpClient({ guard: { allowedHosts: ['127.0.0.1'] } });
}

/** Quick HA knobs: short deadlines, no backoff wait (waits are recorded by {@link recordingSleep}). */
export const quickHa: HaOptions = { retryDelayMs: 1, maxRetryDelayMs: 5, timeoutMs: 5_000 };

/** A sleep that records what it was asked to wait and returns at once. */
export function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

/** A clock tests move by hand. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/**
 * A test file's connector factory: `create` with `defaults()` (the fake's credentials, the
 * loopback client, quick HA knobs), each call overriding what it passes. `defaults` is read per
 * call, so it may use the fake's URL, known only once it has started.
 */
export function connectorMaker<O extends object>(
  create: (options: O) => Connector,
  defaults: () => NoInfer<O>,
): (extra?: Partial<O>) => Connector {
  return (extra = {}) => create({ ...defaults(), ...extra });
}

/** A vendor fake (its recorded requests on `service`) or a bare `FakeService`. */
export type StartableFake = { start(): Promise<unknown>; close(): Promise<unknown> } & (
  | { service: { requests: unknown[] } }
  | { requests: unknown[] }
);

/** Options of {@link useFakes}. */
export interface UseFakesOptions {
  /** Runs before each test, after the recorded requests are cleared (reset a fake's switches). */
  beforeEach?: () => void;
}

/**
 * Registers the lifecycle a connector test file shares: starts `fakes` before its tests, clears
 * their recorded requests before each test, and closes the returned loopback client and the
 * fakes after the last test. Call it at the top of the file, with fakes created there.
 *
 * @example
 * ```ts
 * const fake = createSlackFake();
 * const http = useFakes([fake]);
 * ```
 */
export function useFakes(fakes: StartableFake[], options: UseFakesOptions = {}): HttpClient {
  const http = loopbackHttp();
  beforeAll(async () => {
    await Promise.all(fakes.map((f) => f.start()));
  });
  afterAll(async () => {
    await http.close();
    await Promise.all(fakes.map((f) => f.close()));
  });
  beforeEach(() => {
    for (const f of fakes) ('service' in f ? f.service : f).requests.length = 0;
    options.beforeEach?.();
  });
  return http;
}

/**
 * A {@link FileSource} over bytes in memory that counts how often it is opened — what a
 * connector test hands to a file action when it does not need a whole forge (a retry must
 * re-open the file, and the count shows it).
 */
export function memoryFile(
  bytes: Buffer,
  name = 'invoice-42.pdf',
  mime: string | undefined = 'application/pdf',
): FileSource & { opened: number } {
  const source = {
    name,
    size: bytes.length,
    ...(mime === undefined ? {} : { mime }),
    opened: 0,
    open: async () => {
      source.opened += 1;
      return Readable.from([bytes]);
    },
  };
  return source;
}

/** The SECRET_KEY the test forges seal credentials with. */
export const TEST_SECRET_KEY = 'connector-tests-secret-key-0123456789';

/** A running forge with the connectors extension. */
export interface ConnectorForge {
  forge: Forge;
  connectors: ConnectorsExtension;
  service: IntegrationService;
  /** The loopback client the extension calls the fakes with. */
  http: HttpClient;
  /** Stores `bytes` as a file named `name` (tenant `default`); resolves with its id. */
  store(name: string, bytes: Buffer): Promise<string>;
  /** Closes the forge and the HTTP client and removes the data dir. */
  close(): Promise<void>;
}

/**
 * Opens a real forge (temp data dir, SQLite catalog) with `createConnectorsExtension(options)`:
 * credentials sealed in the catalog with {@link TEST_SECRET_KEY}, files read from the forge's
 * blob store, and its own loopback HTTP client. `forgeOptions` adds to `createForge()`'s
 * (queue timing, bus subscriptions).
 */
export async function openConnectorForge(
  options: Partial<ConnectorsExtensionOptions> = {},
  forgeOptions: Omit<ForgeOptions, 'dataDir' | 'extensions'> = {},
): Promise<ConnectorForge> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ff-connectors-'));
  const http = loopbackHttp();
  const connectors = createConnectorsExtension({ secretKey: TEST_SECRET_KEY, http, ...options });
  const forge = await createForge({ ...forgeOptions, dataDir, extensions: [connectors] });
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

/**
 * {@link openConnectorForge} for a `describe` block: opens the forge before its tests and closes
 * it after them. The returned object reads through to that forge once it is open.
 */
export function useConnectorForge(
  options: Partial<ConnectorsExtensionOptions> = {},
  forgeOptions: Omit<ForgeOptions, 'dataDir' | 'extensions'> = {},
): ConnectorForge {
  let opened: ConnectorForge | undefined;
  const current = (): ConnectorForge => {
    if (!opened) throw new Error('useConnectorForge(): the forge opens in beforeAll, use it inside a test');
    return opened;
  };
  beforeAll(async () => {
    opened = await openConnectorForge(options, forgeOptions);
  });
  afterAll(async () => {
    await opened?.close();
  });
  return {
    get forge() {
      return current().forge;
    },
    get connectors() {
      return current().connectors;
    },
    get service() {
      return current().service;
    },
    get http() {
      return current().http;
    },
    store: (name, bytes) => current().store(name, bytes),
    close: () => current().close(),
  };
}
