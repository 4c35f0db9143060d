import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createForge, type FileRecord, forgeOptionsFromConfig } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { integrationExtensionsFromConfig } from '../forge-extensions.js';
import { uploadFileWithRetry } from '../http/upload-client.js';
import { fileTarget } from '../middleware/audit.js';
import { recordCliAudit } from './cli-audit.js';
import { loadCliConfig } from './cli-config.js';
import { processorOptionsFromConfig } from './processor-options.js';
import { serverAnswers } from './server-probe.js';

/** `fileforge ingest --help`. */
export const INGEST_USAGE = `Usage: fileforge ingest <path...> [--url URL] [--api-key KEY]
  Adds files. Uploads them to a running server (--url, default http://localhost:$PORT;
  API key from --api-key or FILEFORGE_API_KEY; a 429 or 503 with Retry-After — rate limit,
  processing queue full — is waited out and retried: up to 6 attempts per file, waits of
  up to 60 s, one Idempotency-Key), or, when no server answers and no --url
  was given, stores them directly in the data directory and waits for their processing
  (each recorded in the audit trail as file.upload, the operating-system user as actor).
`;

const print = (r: Pick<FileRecord, 'id' | 'name' | 'mime' | 'size' | 'sha256' | 'status'>) =>
  process.stdout.write(
    `${r.id}  ${r.status.padEnd(10)} ${r.mime.padEnd(28)} ${String(r.size).padStart(12)}  ${r.name}\n`,
  );

/**
 * `fileforge ingest <path...> [--url URL] [--api-key KEY]`: sends each file to a running server
 * (authenticated with an API key from `--api-key` or FILEFORGE_API_KEY), or — when
 * none answers and no `--url` was given — stores it directly in the data directory and
 * waits for its processing to finish.
 */
export async function runIngest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' }, 'api-key': { type: 'string' } },
  });
  if (positionals.length === 0) {
    process.stderr.write(`fileforge ingest: give at least one file path\n\n${INGEST_USAGE}`);
    return 2;
  }
  for (const path of positionals) {
    const s = await stat(path).catch(() => undefined);
    if (!s?.isFile()) {
      process.stderr.write(`fileforge ingest: ${path} is not a readable file\n`);
      return 2;
    }
  }
  const config = loadCliConfig();
  const url = values.url ?? `http://localhost:${config.port}`;
  if (values.url || (await serverAnswers(url))) {
    let failed = 0;
    for (const path of positionals) {
      const apiKey = values['api-key'] ?? process.env.FILEFORGE_API_KEY;
      const result = await uploadFileWithRetry(
        url,
        path,
        apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
        {
          onRetry: (refused, wait) =>
            process.stderr.write(
              `${path}: ${refused.error?.code ?? refused.status}; trying again in ${wait} s\n`,
            ),
        },
      );
      if (result.ok) result.files.forEach(print);
      else {
        failed++;
        process.stderr.write(`${path}: ${result.error.code} ${result.error.message}\n`);
      }
    }
    return failed === 0 ? 0 : 1;
  }

  // Workflows that `file.processed` starts run here too: their webhook and connector steps need these.
  const integrations = await integrationExtensionsFromConfig(config);
  const forge = await createForge({
    ...forgeOptionsFromConfig(config),
    processors: defaultProcessors(processorOptionsFromConfig(config)),
    extensions: integrations.extensions,
  });
  try {
    const ids: string[] = [];
    for (const path of positionals) {
      const source = createReadStream(path);
      // A path that cannot be read errors before forge.ingest attaches to the stream; the stream
      // keeps the error, and the ingest reports it (rather than the process dying of it).
      source.on('error', () => {});
      const record = await forge.ingest(source, { name: basename(path) });
      ids.push(record.id);
      await recordCliAudit(forge.audit, {
        tenant: record.tenant,
        action: 'file.upload',
        target: fileTarget(record),
        details: { size: record.size, mime: record.mime },
      });
    }
    await forge.queue.onIdle();
    for (const id of ids) {
      const record = await forge.files.get(id);
      if (record) print(record);
    }
  } finally {
    await forge.close();
  }
  return 0;
}
