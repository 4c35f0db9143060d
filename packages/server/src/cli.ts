#!/usr/bin/env node
/**
 * The `fileforge` command line.
 *
 * @module
 */
import { FileForgeError } from '@fileforge/core';
import { runIngest } from './commands/ingest.js';
import { runReprocess } from './commands/reprocess.js';
import { runServe } from './commands/serve.js';
import { runUsers } from './commands/users.js';

const USAGE = `Usage: fileforge <command> [options]

Commands:
  serve                 Start the FileForge server (configured by environment variables, see .env.example)
  ingest <path...>      Add files: uploads to a running server (--url, default http://localhost:$PORT;
                        credentials from --api-key or FILEFORGE_API_KEY), or stores them directly in
                        the data directory when no server answers
  reprocess --all       Run processing again on every file (or: reprocess <id...>), e.g. after
                        processors were added; through a running server or on the data directory
  users create          Create a user: --email <email> [--admin | --role <role>] [--tenant <name>];
                        password from FILEFORGE_PASSWORD or standard input
  help                  Show this help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(rest);
    case 'ingest':
      return runIngest(rest);
    case 'reprocess':
      return runReprocess(rest);
    case 'users':
      return runUsers(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`fileforge: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${FileForgeError.is(error) ? error.message : String((error as Error)?.stack ?? error)}\n`,
    );
    process.exitCode = 1;
  },
);
