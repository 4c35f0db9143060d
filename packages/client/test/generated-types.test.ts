import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_COMMAND, CLIENT_TYPES_FILE, renderClientTypes } from '../../../scripts/client-types.js';

const root = resolve(import.meta.dirname, '../../..');

describe('the generated API types', () => {
  it('match the OpenAPI document the server serves at /openapi.json', async () => {
    const committed = await readFile(resolve(root, CLIENT_TYPES_FILE), 'utf8');
    const fresh = await renderClientTypes(root);
    expect(fresh).toContain("'/api/v1/files': {");
    expect(
      committed === fresh,
      `${CLIENT_TYPES_FILE} is stale: the server's routes changed. Run \`${CLIENT_TYPES_COMMAND}\` and commit the result.`,
    ).toBe(true);
  });
});
