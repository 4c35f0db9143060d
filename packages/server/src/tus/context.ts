/**
 * What one tus request hands down to the staging store and the hooks, which @tus/server
 * calls without the request's FileForge context: who is calling, the chunk's checksum, the
 * Hono context (audit). Carried by AsyncLocalStorage for the duration of the request.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'hono';
import type { ServerEnv } from '../server-env.js';
import type { UploadOwner } from './state.js';

/** The context of one tus request. */
export interface TusRequestContext {
  /** The authenticated caller (new uploads belong to it). */
  owner: UploadOwner;
  /** The SHA-256 the chunk of this request must have (`Upload-Checksum`), when sent. */
  checksum?: Buffer;
  /** The Hono context (audit, request id). */
  c: Context<ServerEnv>;
  /** Aborted, with a 408 `REQUEST_TIMEOUT` as its reason, when the body stopped coming. */
  bodyTimeout?: AbortSignal;
  /** The id of the upload this request created (a POST, once admitted). */
  created?: string;
}

/** The current tus request's context. */
export const tusRequest = new AsyncLocalStorage<TusRequestContext>();
