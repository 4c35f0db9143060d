import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createForge, ErrorCode, forgeOptionsFromConfig, toFileForgeError } from '@fileforge/core';
import { createOperationRegistry, defaultProcessors } from '@fileforge/processors';
import { integrationExtensionsFromConfig } from '../forge-extensions.js';
import { fileTarget } from '../middleware/audit.js';
import { recordCliAudit } from './cli-audit.js';
import { loadCliConfig } from './cli-config.js';
import { forEachConcurrently } from './concurrent.js';
import { collectIngestFiles } from './ingest-files.js';
import { ingestOverHttp } from './ingest-http.js';
import { createIngestReporter, type IngestReporter } from './ingest-report.js';
import { processorOptionsFromConfig } from './processor-options.js';
import { serverAnswers } from './server-probe.js';

/** `fileforge ingest --help`. */
export const INGEST_USAGE = `Usage: fileforge ingest <path...> [--recursive] [--concurrency N] [--url URL] [--api-key KEY] [--json]
  Adds files, and the files of folders (names starting with a dot left out). Uploads them to a
  running server (--url, default http://localhost:$PORT; API key from --api-key or
  FILEFORGE_API_KEY), or, when no server answers and no --url was given, stores them directly
  in the data directory and waits for their processing (each recorded in the audit trail as
  file.upload, the operating-system user as actor).
  A 429 or 503 with Retry-After (rate limit, processing queue full) is waited out and the file
  sent again: up to 6 attempts per file, waits of up to 60 s, one Idempotency-Key.
  -r, --recursive   also the files of sub-folders
  --concurrency N   files sent at once (default 4)
  --json            print one JSON object at the end:
                    {"stored":[{path,id,name,mime,size,sha256,status}],
                     "failed":[{path,code,message,status?}],
                     "summary":{total,stored,failed,bytes,retries}}
  Prints a line per stored file (id, status, type, size, name), a progress bar on a terminal,
  and a summary. Exit codes: 0 every file stored, 1 any file failed, 2 usage error.
`;

const usageError = (message: string) => {
  process.stderr.write(`fileforge ingest: ${message}\n\n${INGEST_USAGE}`);
  return 2;
};

/**
 * `fileforge ingest <path...>`: sends each file (and each file of a folder) to a running
 * server, several at a time, or — when none answers and no `--url` was given — stores it
 * directly in the data directory and waits for its processing to finish.
 */
export async function runIngest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'api-key': { type: 'string' },
      recursive: { type: 'boolean', short: 'r', default: false },
      concurrency: { type: 'string', default: '4' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) return usageError('give at least one file or folder');
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    return usageError('--concurrency must be a whole number from 1 to 64');
  const { files, unreadable, badNames, deniedFolders } = await collectIngestFiles(positionals, {
    recursive: values.recursive!,
  });
  if (unreadable.length > 0) return usageError(`${unreadable[0]} is not a readable file or folder`);
  if (files.length + badNames.length + deniedFolders.length === 0)
    return usageError(
      `no files in ${positionals.join(', ')}${values.recursive ? '' : ' (sub-folders need --recursive)'}`,
    );

  const config = loadCliConfig();
  const url = values.url ?? `http://localhost:${config.port}`;
  const reporter = createIngestReporter(files.length + badNames.length + deniedFolders.length, {
    json: values.json!,
  });
  for (const path of deniedFolders) {
    reporter.failed({
      path,
      code: ErrorCode.FORBIDDEN,
      message: 'This folder cannot be read (permission denied); its files were not ingested',
    });
  }
  for (const path of badNames) {
    reporter.failed({
      path,
      code: ErrorCode.VALIDATION_FAILED,
      message: 'The file name is not valid UTF-8; rename the file to ingest it',
    });
  }
  if (files.length === 0) return reporter.finish();
  if (values.url || (await serverAnswers(url))) {
    const apiKey = values['api-key'] ?? process.env.FILEFORGE_API_KEY;
    await ingestOverHttp(files, { url, apiKey, concurrency }, reporter);
  } else {
    await ingestLocally(files, config, concurrency, reporter);
  }
  return reporter.finish();
}

/** Stores the files in the data directory with a forge of this process, and waits for their processing. */
async function ingestLocally(
  files: readonly string[],
  config: ReturnType<typeof loadCliConfig>,
  concurrency: number,
  reporter: IngestReporter,
): Promise<void> {
  // Workflows that `file.processed` starts run here too: their webhook and connector steps need these.
  const integrations = await integrationExtensionsFromConfig(config);
  const forge = await createForge({
    ...forgeOptionsFromConfig(config),
    processors: defaultProcessors(processorOptionsFromConfig(config)),
    workflows: { operations: createOperationRegistry() },
    extensions: integrations.extensions,
  });
  try {
    const ids: Array<string | undefined> = [];
    await forEachConcurrently(files, concurrency, async (path, index) => {
      const source = createReadStream(path);
      // A path that cannot be read errors before forge.ingest attaches to the stream; the stream
      // keeps the error, and the ingest reports it (rather than the process dying of it).
      source.on('error', () => {});
      try {
        const record = await forge.ingest(source, { name: basename(path) });
        ids[index] = record.id;
        await recordCliAudit(forge.audit, {
          tenant: record.tenant,
          action: 'file.upload',
          target: fileTarget(record),
          details: { size: record.size, mime: record.mime },
        });
      } catch (error) {
        const err = toFileForgeError(error);
        reporter.failed({ path, code: err.code, message: err.message });
      }
    });
    await forge.queue.onIdle();
    for (const [index, id] of ids.entries()) {
      const record = id === undefined ? undefined : await forge.files.get(id);
      if (record) reporter.stored(files[index]!, [record]);
    }
  } finally {
    await forge.close();
  }
}
