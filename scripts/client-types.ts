/**
 * Renders `packages/client/src/generated/openapi.ts`: the TypeScript types of the API,
 * generated with openapi-typescript from the OpenAPI document a server app serves at
 * `/openapi.json` (`buildOpenApiDocument`, what `fileforge openapi` prints), then formatted with
 * Biome so the committed file passes `npm run lint`. Used by `npm run client:types` and by
 * the client test that fails when the committed file is stale.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from '../packages/server/src/openapi-document.js';

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
  const document = await buildOpenApiDocument();
  // Fields with a default are optional: the same schemas describe what a caller sends.
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    defaultNonNullable: false,
  });
  return biomeFormat(`${HEADER}\n${astToString(ast)}`, root);
}
