import { parseArgs } from 'node:util';
import { createClient, isFileForgeClientError } from '@fileforge/client';
import { createForge, FileForgeError, forgeOptionsFromConfig } from '@fileforge/core';
import { createOperationRegistry, defaultProcessors } from '@fileforge/processors';
import { integrationExtensionsFromConfig } from '../forge-extensions.js';
import { loadCliConfig } from './cli-config.js';
import { processorOptionsFromConfig } from './processor-options.js';
import { serverAnswers } from './server-probe.js';

/** `fileforge reprocess --help`. */
export const REPROCESS_USAGE = `Usage: fileforge reprocess (--all | <id...>) [--url URL] [--api-key KEY] [--tenant NAME] [--json]
  Runs processing again, e.g. after processors were added. Talks to a running server
  (API key from --api-key or FILEFORGE_API_KEY), or works on the data directory directly
  (then waiting for the processing to finish).
  --json   print {"queued","failed":[{"id","status","code"}]} (server) or
           {"reprocessed","failed":[{"id","code"}]} (data directory) instead
Exit codes: 0 done, 1 some files could not be queued, 2 usage error.
`;

/** Queues each file (every file of the key's tenant with `all`) through the server's API, with the typed client. */
async function viaHttp(url: string, apiKey: string, ids: string[] | 'all', json: boolean): Promise<number> {
  const client = createClient({ baseUrl: url, apiKey });
  const targets = ids === 'all' ? [] : [...ids];
  if (ids === 'all') for await (const file of client.files.list({ limit: 500 })) targets.push(file.id);
  const failed: Array<{ id: string; status: number; code: string }> = [];
  for (const id of targets) {
    try {
      await client.files.reprocess(id);
    } catch (error) {
      if (!isFileForgeClientError(error)) throw error;
      failed.push({ id, status: error.status, code: error.code });
      process.stderr.write(`${id}: ${error.code} ${error.message}\n`);
    }
  }
  const queued = targets.length - failed.length;
  process.stdout.write(
    json ? `${JSON.stringify({ queued, failed })}\n` : `queued ${queued} file(s) for processing\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

/**
 * `fileforge reprocess --all` or `fileforge reprocess <id...>`: queues processing again,
 * through a running server when one answers, else directly on the data directory (waiting
 * for the jobs to finish).
 */
export async function runReprocess(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      tenant: { type: 'string', default: 'default' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.all && positionals.length === 0) {
    process.stderr.write(REPROCESS_USAGE);
    return 2;
  }
  const ids = values.all ? 'all' : positionals;
  const config = loadCliConfig();
  const url = values.url ?? `http://localhost:${config.port}`;
  if (values.url || (await serverAnswers(url))) {
    const apiKey = values['api-key'] ?? process.env.FILEFORGE_API_KEY;
    if (!apiKey) {
      process.stderr.write(
        'fileforge reprocess: a server is running; give an admin or editor API key (--api-key)\n',
      );
      return 2;
    }
    return viaHttp(url, apiKey, ids, values.json!);
  }
  // Workflows that `file.processed` starts run here too: their webhook and connector steps need these.
  const integrations = await integrationExtensionsFromConfig(config);
  const forge = await createForge({
    ...forgeOptionsFromConfig(config),
    processors: defaultProcessors(processorOptionsFromConfig(config)),
    workflows: { operations: createOperationRegistry() },
    extensions: integrations.extensions,
  });
  try {
    const tenant = values.tenant!;
    let count = 0;
    const failed: Array<{ id: string; code: string }> = [];
    if (ids === 'all') {
      let cursor: string | null = null;
      do {
        const page = await forge.files.list({ tenant, limit: 500, ...(cursor ? { cursor } : {}) });
        for (const file of page.items) await forge.files.reprocess(file.id, { tenant });
        count += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
    } else {
      // Every id is tried: one that cannot be reprocessed is reported, the rest still run.
      for (const id of ids) {
        try {
          await forge.files.reprocess(id, { tenant });
          count++;
        } catch (error) {
          if (!FileForgeError.is(error)) throw error;
          failed.push({ id, code: error.code });
          process.stderr.write(`${id}: ${error.code} ${error.message}\n`);
        }
      }
    }
    await forge.queue.onIdle();
    process.stdout.write(
      values.json ? `${JSON.stringify({ reprocessed: count, failed })}\n` : `reprocessed ${count} file(s)\n`,
    );
    return failed.length === 0 ? 0 : 1;
  } finally {
    await forge.close();
  }
}
