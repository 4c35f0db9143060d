/**
 * `createClient`: the typed FileForge client.
 * @module
 */

import { streamingFetch } from './node-upload.js';
import { AuthApi } from './resources/auth.js';
import { FilesApi } from './resources/files.js';
import { IntegrationsApi } from './resources/integrations.js';
import { RulesApi } from './resources/rules.js';
import { SorterApi } from './resources/sorter.js';
import { WebhooksApi } from './resources/webhooks.js';
import { WorkflowsApi } from './resources/workflows.js';
import { type RetryOptions, retryPolicy } from './retry.js';
import { type ClientAuthOptions, ClientSession } from './session.js';
import { Transport } from './transport.js';

/** Options of {@link createClient}. */
export interface ClientOptions extends ClientAuthOptions {
  /** Where the server is, e.g. `http://127.0.0.1:8000` (a path prefix is kept). */
  baseUrl: string;
  /** The `fetch` to use (a proxy agent, a test double). @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /**
   * Retries of idempotent calls (GET, HEAD, PUT, DELETE, and uploads with an
   * `idempotencyKey`) answered 429 or 503, after the server's `Retry-After`; `false` turns
   * them off. @default 4 attempts, 500 ms doubling without `Retry-After`, waits up to 30 s
   */
  retry?: RetryOptions | false;
}

/** The typed FileForge client: see {@link createClient}. */
export interface FileForgeClient {
  /** Upload, list, get, download, derivatives, reprocess, delete, wait for processing. */
  readonly files: FilesApi;
  /** The sorter's saved rules. */
  readonly rules: RulesApi;
  /** Simulate, apply and undo sorts. */
  readonly sorter: SorterApi;
  /** Workflow definitions and runs. */
  readonly workflows: WorkflowsApi;
  /** Webhook subscriptions and deliveries. */
  readonly webhooks: WebhooksApi;
  /** Connectors to other systems. */
  readonly integrations: IntegrationsApi;
  /** Log in and out, who am I, API keys. */
  readonly auth: AuthApi;
}

/**
 * Creates a client for the FileForge server at `baseUrl`, authenticated with an API key, an
 * access token, or email and password (logged in on the first call, refreshed as needed).
 * Works in Node 20+ and browsers: it uses only `fetch`, streams and `Blob`.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { createClient, isFileForgeClientError } from '@fileforge/client';
 *
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8000', apiKey: process.env.FILEFORGE_API_KEY });
 * try {
 *   const file = await client.files.upload(createReadStream('report.pdf'), {
 *     name: 'report.pdf',
 *     onProgress: ({ loaded, total }) => console.log(loaded, '/', total),
 *   });
 *   console.log((await client.files.waitFor(file.id)).metadata);
 * } catch (error) {
 *   if (isFileForgeClientError(error)) console.error(error.code, error.status, error.requestId);
 *   else throw error;
 * }
 * ```
 */
export function createClient(options: ClientOptions): FileForgeClient {
  if (!options.baseUrl || !/^https?:\/\//i.test(options.baseUrl)) {
    throw new TypeError(`[fileforge:client] baseUrl must be an http(s) URL, got "${options.baseUrl}"`);
  }
  const given = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof given !== 'function') {
    throw new TypeError('[fileforge:client] No fetch in this runtime: pass options.fetch');
  }
  // A fetch of the caller's own is used as it is; Node's own streams uploads through node:http.
  const fetchImpl = options.fetch ? given : streamingFetch(given);
  const transport = new Transport({
    baseUrl: options.baseUrl,
    fetch: fetchImpl,
    retry: retryPolicy(options.retry),
  });
  const session = new ClientSession(transport, options);
  transport.auth = session;
  return {
    files: new FilesApi(transport),
    rules: new RulesApi(transport),
    sorter: new SorterApi(transport),
    workflows: new WorkflowsApi(transport),
    webhooks: new WebhooksApi(transport),
    integrations: new IntegrationsApi(transport),
    auth: new AuthApi(transport, session),
  };
}
