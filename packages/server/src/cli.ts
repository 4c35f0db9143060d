#!/usr/bin/env node
/**
 * The `fileforge` command line.
 *
 * @module
 */
import { isFileForgeClientError } from '@fileforge/client';
import { FileForgeError } from '@fileforge/core';
import { AUDIT_USAGE, runAudit } from './commands/audit.js';
import { BACKUP_USAGE, runBackup } from './commands/backup.js';
import { FSCK_USAGE, runFsckCommand } from './commands/fsck.js';
import { INGEST_USAGE, runIngest } from './commands/ingest.js';
import { KEYS_USAGE, runKeys } from './commands/keys.js';
import { MIGRATE_USAGE, runMigrate } from './commands/migrate.js';
import { OPENAPI_USAGE, runOpenApi } from './commands/openapi.js';
import { REPROCESS_USAGE, runReprocess } from './commands/reprocess.js';
import { RESTORE_USAGE, runRestore } from './commands/restore.js';
import { runServe, SERVE_USAGE } from './commands/serve.js';
import { runSort, SORT_USAGE } from './commands/sort.js';
import { runTenants, TENANTS_USAGE } from './commands/tenants.js';
import { runUsers, USERS_USAGE } from './commands/users.js';
import { runWorker, WORKER_USAGE } from './commands/worker.js';
import { runWorkflows, WORKFLOWS_USAGE } from './commands/workflows.js';

const USAGE = `Usage: fileforge <command> [options]

Commands:
  serve                 Start the FileForge server (configured by environment variables, see .env.example);
                        with REDIS_URL it only queues jobs unless --with-worker is given
  worker                Run processing jobs from the BullMQ queue at REDIS_URL (MAX_WORKERS at a time),
                        no HTTP server; start any number, on any machines sharing catalog and storage
  ingest <path...>      Add files and folders (--recursive): uploads to a running server (--url, default
                        http://localhost:$PORT; credentials from --api-key or FILEFORGE_API_KEY),
                        several at once, waiting out 429/503, or stores them directly in the data
                        directory when no server answers; a summary at the end
  keys rotate           Re-wrap every stored file's data key under the current ENCRYPTION_KEY (headers
                        only, resumable); works while the server runs
  reprocess --all       Run processing again on every file (or: reprocess <id...>), e.g. after
                        processors were added; through a running server or on the data directory
  sort <dir> --rules F  Sort a folder in place by rules (--dry-run prints the plan); no server needed.
                        Every run is journaled: "fileforge sort --undo <run>" moves the files back
  tenants usage|quota   Show a tenant's usage and quota, or set it: --max-bytes <n|none>
                        --max-files <n|none> [--tenant <name>]
  users create          Create a user: --email <email> [--admin | --role <role>] [--tenant <name>];
                        password from FILEFORGE_PASSWORD or standard input
  users password|role|disable|enable
                        Change a user (--email, --tenant; role: --role); audited like the API
  workflows lint <f...> Check workflow definitions (YAML/JSON); problems with their rule ids
  workflows run <id>    Start a run of a stored workflow on a running server (--wait for its end)
  backup [--output DIR] Write one backup archive (catalog + every file + manifest) and print its
                        path; works while the server runs
  restore <archive>     Verify a backup archive (signature, SHA-256s) and replace the data with it
                        (server stopped)
  fsck [--repair]       Check the data directory (orphan blobs, missing or altered files, sorted tree);
                        exits 1 on problems; --repair fixes what it safely can; works beside the server
  migrate               Apply the catalog's pending migrations (core and every module) to DATABASE_URL
                        and list them; servers and workers also migrate at start-up
  audit verify          Check the audit trail's hash chain; reports the first broken entry (exit 1)
                        or exits 0 when intact; read-only, works while the server runs
  openapi               Print the HTTP API's OpenAPI 3.1 document (what a server serves at
                        /openapi.json); needs no server
  help                  Show this help

Run "fileforge <command> --help" for a command's options. Commands that print results take
--json for scripts. Exit codes: 0 success, 1 failure (the command ran and something failed or
was refused), 2 usage error (unknown command or option, missing argument). See docs/cli.md.
`;

interface Command {
  usage: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: { usage: SERVE_USAGE, run: runServe },
  audit: { usage: AUDIT_USAGE, run: runAudit },
  fsck: { usage: FSCK_USAGE, run: runFsckCommand },
  ingest: { usage: INGEST_USAGE, run: runIngest },
  keys: { usage: KEYS_USAGE, run: runKeys },
  migrate: { usage: MIGRATE_USAGE, run: runMigrate },
  openapi: { usage: OPENAPI_USAGE, run: runOpenApi },
  reprocess: { usage: REPROCESS_USAGE, run: runReprocess },
  sort: { usage: SORT_USAGE, run: runSort },
  tenants: { usage: TENANTS_USAGE, run: runTenants },
  users: { usage: USERS_USAGE, run: runUsers },
  workflows: { usage: WORKFLOWS_USAGE, run: runWorkflows },
  worker: { usage: WORKER_USAGE, run: runWorker },
  backup: { usage: BACKUP_USAGE, run: runBackup },
  restore: { usage: RESTORE_USAGE, run: runRestore },
};

const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || wantsHelp([name])) {
    const topic = name === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
    process.stdout.write(topic?.usage ?? USAGE);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`fileforge: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  // Help never starts anything: it is answered before the command reads its configuration.
  if (wantsHelp(rest)) {
    process.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // node:util parseArgs refuses unknown or malformed options: a usage error, not a crash.
    if ((error as NodeJS.ErrnoException)?.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`fileforge ${name}: ${(error as Error).message}\n\n${command.usage}`);
      return 2;
    }
    throw error;
  }
}

/** What a failed command prints: the message of an error it expected, else the stack. */
function describeFailure(error: unknown): string {
  if (FileForgeError.is(error)) return error.message;
  // A server's refusal, through the typed client: its stable code and status say what to do.
  if (isFileForgeClientError(error)) {
    return error.status > 0
      ? `fileforge: the server refused: ${error.code} ${error.message} (HTTP ${error.status})`
      : `fileforge: ${error.code} ${error.message}`;
  }
  // The system refused (a port in use, a missing folder, no permission): its own message names
  // the call and the path; a stack adds nothing the user can act on (DEBUG=1 prints it).
  const errno = error as NodeJS.ErrnoException;
  if (
    error instanceof Error &&
    typeof errno.code === 'string' &&
    /^E[A-Z]+$/.test(errno.code) &&
    !process.env.DEBUG
  )
    return `fileforge: ${error.message}`;
  return String((error as Error)?.stack ?? error);
}

// `fileforge openapi | head -1`: a reader that leaves early is no failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${describeFailure(error)}\n`);
    process.exitCode = 1;
    // A command that failed exits, even if a connection it opened is still reconnecting (the
    // timer keeps nothing alive: it fires only if something else does).
    setTimeout(() => process.exit(1), 10_000).unref();
  },
);
