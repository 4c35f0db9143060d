/**
 * A test server (the server package's own test helper) and a client for it, plus a `fetch`
 * that records every exchange so tests can see what the client sent.
 * @module
 */
import { ADMIN, type TestServer } from '../../../server/test/support/server.js';
import { type ClientOptions, createClient, type FileForgeClient } from '../../src/index.js';

export { ADMIN };

/** One request the client sent and the status it got. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  retryAfter: string | null;
  at: number;
}

/** `fetch` that records each exchange into `log`. */
export function recordingFetch(log: Exchange[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(input, init);
    log.push({
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      at: Date.now(),
    });
    return response;
  };
}

/** The admin API key the test server minted. */
export const apiKeyOf = (server: TestServer) => server.authHeaders.Authorization!.replace(/^Bearer /, '');

/** A client of `server` with its admin API key. */
export function clientFor(server: TestServer, options: Partial<ClientOptions> = {}): FileForgeClient {
  return createClient({ baseUrl: server.url, apiKey: apiKeyOf(server), ...options });
}

/** Bytes no two tests share (the server deduplicates by content). */
export function bytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}
