/**
 * Regenerates `packages/client/src/generated/openapi.ts` from the OpenAPI document the server
 * serves. Run with `npm run client:types` after changing a route; a client test fails while
 * the committed file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CLIENT_TYPES_FILE, renderClientTypes } from './client-types.js';

const root = resolve(import.meta.dirname, '..');
await writeFile(resolve(root, CLIENT_TYPES_FILE), await renderClientTypes(root));
console.log(`updated ${CLIENT_TYPES_FILE}`);
