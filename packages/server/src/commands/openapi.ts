import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildOpenApiDocument } from '../openapi-document.js';

/** `fileforge openapi --help`. */
export const OPENAPI_USAGE = `Usage: fileforge openapi [--output FILE] [--compact]
  Prints the OpenAPI 3.1 document of this version's HTTP API: the same document a running
  server serves at /openapi.json. Needs no server, configuration or data directory; generate
  client types from it, e.g. npx openapi-typescript openapi.json.
  --output FILE  write it to FILE instead of standard output
  --compact      one line instead of indented JSON
Exit codes: 0 printed, 1 failed, 2 usage.
`;

/** `fileforge openapi [--output FILE] [--compact]`: the API's OpenAPI document, as JSON. */
export async function runOpenApi(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string' }, compact: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0) {
    process.stderr.write(`fileforge openapi: takes no arguments\n\n${OPENAPI_USAGE}`);
    return 2;
  }
  const doc = await buildOpenApiDocument();
  const text = `${JSON.stringify(doc, null, values.compact ? undefined : 2)}\n`;
  if (values.output) await writeFile(values.output, text);
  else process.stdout.write(text);
  return 0;
}
