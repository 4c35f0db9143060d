import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { catalogEngine, type ForgeConfig, sqlitePathFromUrl } from '@fileforge/core';

/** The system's own words for a refusal (`ENOTDIR: not a directory, stat '/dev/null/x'`). */
function systemRefusal(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  if (error instanceof Error && typeof errno.code === 'string' && /^E[A-Z]+$/.test(errno.code))
    return error.message;
  throw error;
}

/**
 * Why a command that only reads the SQLite catalog cannot open it, in one line (`cannot open
 * the data directory /dev/null/x: ENOTDIR: not a directory, stat '/dev/null/x'`), or
 * `undefined` when it can (or the catalog is PostgreSQL). Asked before opening: better-sqlite3
 * reports a missing or unusable directory or file as a bare `TypeError` or "unable to open
 * database file" without the path, which the CLI could only print as a stack trace. A
 * read-only command creates nothing, so a missing catalog is a refusal too.
 */
export async function catalogFileRefusal(config: ForgeConfig): Promise<string | undefined> {
  if (catalogEngine(config.databaseUrl) !== 'sqlite') return undefined;
  const path = sqlitePathFromUrl(config.databaseUrl);
  if (path === ':memory:') return undefined;
  const file = resolve(path);
  const dir = dirname(file);
  const what = dir === resolve(config.dataDir) ? 'the data directory' : 'the catalog directory';
  try {
    if (!(await stat(dir)).isDirectory()) return `cannot open ${what} ${dir}: ENOTDIR: not a directory`;
  } catch (error) {
    return `cannot open ${what} ${dir}: ${systemRefusal(error)}`;
  }
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    return `cannot open the catalog ${file}: ${systemRefusal(error)}`;
  }
  return undefined;
}
