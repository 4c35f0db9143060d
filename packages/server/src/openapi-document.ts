/**
 * The server's OpenAPI document without a running server: what `GET /openapi.json` serves,
 * built from the same route definitions over a throwaway forge.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge } from '@fileforge/core';
import { pino } from 'pino';
import { createServer } from './app.js';

/**
 * Builds the OpenAPI 3.1 document a server of this version serves at `/openapi.json`. The
 * routes do not depend on configuration, so the document is the same for every installation;
 * the forge it needs lives in a temporary directory, removed before this resolves.
 *
 * @example
 * ```ts
 * const doc = await buildOpenApiDocument();
 * console.log(doc.info.version);
 * ```
 */
export async function buildOpenApiDocument(): Promise<{ openapi: string; info: { version: string } }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-openapi-'));
  try {
    const forge = await createForge({ dataDir, runJobs: false });
    try {
      const server = await createServer(forge, {
        // Never used to sign anything: the document is all this server answers.
        tokens: { secret: randomBytes(32).toString('hex') },
        logger: pino({ level: 'silent' }),
        loginThrottle: false,
      });
      try {
        const res = await server.app.request('/openapi.json');
        return (await res.json()) as { openapi: string; info: { version: string } };
      } finally {
        await server.close();
      }
    } finally {
      await forge.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
