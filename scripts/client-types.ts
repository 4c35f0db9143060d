/**
 * Renders `packages/client/src/generated/openapi.ts`: the TypeScript types of the API,
 * generated with openapi-typescript from the OpenAPI document a server app serves at
 * `/openapi.json` (built in-process over a throw-away data directory), then formatted with
 * Biome so the committed file passes `npm run lint`. Used by `npm run client:types` and by
 * the client test that fails when the committed file is stale.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { pino } from 'pino';
import { createForge } from '../packages/core/src/index.js';
import { createServer } from '../packages/server/src/app.js';

/** The committed file, relative to the repository root. */
export const CLIENT_TYPES_FILE = 'packages/client/src/generated/openapi.ts';

/** The command that rewrites {@link CLIENT_TYPES_FILE}. */
export const CLIENT_TYPES_COMMAND = 'npm run client:types';

const HEADER = `/**
 * The FileForge HTTP API as TypeScript types, generated from the server's OpenAPI document
 * by openapi-typescript. Do not edit: run \`${CLIENT_TYPES_COMMAND}\` after changing a route.
 * @module
 */
`;

/** `/openapi.json` of a server app built in-process (nothing listens; no secrets leave). */
export async function servedOpenApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-client-types-'));
  try {
    const forge = await createForge({ dataDir });
    try {
      const server = await createServer(forge, {
        tokens: { secret: 'client-types-'.padEnd(48, 'x') },
        logger: pino({ level: 'silent' }),
      });
      try {
        const res = await server.app.request('/openapi.json');
        if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
        return (await res.json()) as Record<string, unknown>;
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

/** Formats TypeScript source as the repository's Biome settings would. */
function biomeFormat(source: string, root: string): Promise<string> {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  return new Promise((done, fail) => {
    const child = execFile(
      biome,
      ['format', `--stdin-file-path=${CLIENT_TYPES_FILE}`],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? fail(new Error(`biome format failed: ${stderr}`)) : done(stdout)),
    );
    child.stdin?.on('error', fail);
    child.stdin?.end(source);
  });
}

/** The full text {@link CLIENT_TYPES_FILE} should have for the current server routes. */
export async function renderClientTypes(root = resolve(import.meta.dirname, '..')): Promise<string> {
  const document = await servedOpenApiDocument();
  // Fields with a default are optional: the same schemas describe what a caller sends.
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    defaultNonNullable: false,
  });
  return biomeFormat(`${HEADER}\n${astToString(ast)}`, root);
}
