import { createProgressBar, type ProgressBar } from './progress-bar.js';

/** A stored file as `fileforge ingest` prints it (the fields it reads of the server's record). */
export interface IngestedFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  status: string;
}

/** A file that could not be stored: the server's (or the store's) error code and message. */
export interface IngestFailure {
  path: string;
  code: string;
  message: string;
  /** The HTTP status, when a server refused it. */
  status?: number;
}

/** What `fileforge ingest --json` prints: every file stored, every failure and the counts. */
export interface IngestReport {
  stored: Array<IngestedFile & { path: string }>;
  failed: IngestFailure[];
  summary: { total: number; stored: number; failed: number; bytes: number; retries: number };
}

/** Collects the outcome of each file, shows progress, and prints the summary; see {@link createIngestReporter}. */
export interface IngestReporter {
  stored(path: string, files: IngestedFile[]): void;
  failed(failure: IngestFailure): void;
  /** The server asked to come back later (429, 503): the file is sent again after `waitSeconds`. */
  retrying(path: string, reason: string, waitSeconds: number): void;
  /** Prints the summary (or the JSON report) and returns the exit code: 0 all stored, 1 any failed. */
  finish(): number;
}

const line = (r: IngestedFile) =>
  `${r.id}  ${r.status.padEnd(10)} ${r.mime.padEnd(28)} ${String(r.size).padStart(12)}  ${r.name}\n`;

/**
 * The output of `fileforge ingest`: one line per stored file on stdout (`id status mime size
 * name`), failures and retries on stderr, a progress bar on stderr when it is a terminal, and
 * a summary line at the end; with `json`, nothing on stdout but the {@link IngestReport}.
 */
export function createIngestReporter(total: number, options: { json: boolean }): IngestReporter {
  const report: IngestReport = {
    stored: [],
    failed: [],
    summary: { total, stored: 0, failed: 0, bytes: 0, retries: 0 },
  };
  const bar: ProgressBar | undefined =
    !options.json && process.stderr.isTTY === true && total > 1
      ? createProgressBar(process.stderr, total, 'files')
      : undefined;
  let done = 0;
  // A line written over the bar would be cut by its next redraw: clear it first, redraw after.
  const say = (stream: NodeJS.WriteStream, text: string) => {
    bar?.done();
    stream.write(text);
  };
  const advance = () => {
    done++;
    bar?.update(done);
  };
  return {
    stored(path, files) {
      for (const { id, name, mime, size, sha256, status } of files) {
        const file = { id, name, mime, size, sha256, status };
        report.stored.push({ path, ...file });
        report.summary.stored++;
        report.summary.bytes += file.size;
        if (!options.json) say(process.stdout, line(file));
      }
      advance();
    },
    failed(failure) {
      report.failed.push(failure);
      report.summary.failed++;
      say(process.stderr, `${failure.path}: ${failure.code} ${failure.message}\n`);
      advance();
    },
    retrying(path, reason, waitSeconds) {
      report.summary.retries++;
      say(process.stderr, `${path}: ${reason}; trying again in ${waitSeconds} s\n`);
      bar?.update(done);
    },
    finish() {
      bar?.done();
      const { summary } = report;
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        process.stdout.write(
          `ingested ${summary.stored} of ${summary.total} file(s), ${summary.bytes} bytes` +
            `${summary.failed > 0 ? `; ${summary.failed} FAILED` : ''}` +
            `${summary.retries > 0 ? ` (${summary.retries} retried after the server asked to wait)` : ''}\n`,
        );
      }
      return summary.failed === 0 ? 0 : 1;
    },
  };
}
