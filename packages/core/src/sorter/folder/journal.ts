import { type FileHandle, lstat, mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ErrorCode } from '../../errors/codes.js';
import { FileForgeError } from '../../errors/fileforge-error.js';
import { isId } from '../../ids/id.js';
import { FOLDER_STATE_DIR } from './scan.js';

/**
 * How a sort run's journal reads: one JSON object a line, appended and fsynced before the
 * moves it announces (`planned`) and after them (`moved`). Paths are relative to the sorted
 * folder and `/`-separated.
 */
export type JournalEntry =
  | { type: 'run'; version: 1; runId: string; dir: string; startedAt: string; items: number }
  /** A folder the run is about to create (undo removes it again when it is empty). */
  | { type: 'mkdir'; path: string }
  /** A move about to happen; `displaced` is the occupant moved aside first. */
  | {
      type: 'planned';
      seq: number;
      from: string;
      to: string;
      action: string;
      ruleId: string | null;
      size: number;
      mtimeMs: number;
      sha256?: string;
      displaced?: { path: string; to: string; size: number; mtimeMs: number };
    }
  | { type: 'moved'; seq: number; via: string }
  | { type: 'failed'; seq: number; error: string }
  /** Recovery found a planned move had not happened: the file is still at its old place. */
  | { type: 'abandoned'; seq: number }
  | { type: 'undone'; seq: number }
  | { type: 'end'; finishedAt: string; moved: number; failed: number; recovered?: boolean };

/** Planned entries as read back. */
export type PlannedEntry = Extract<JournalEntry, { type: 'planned' }>;

/** Where runs are journaled by default: `<dir>/.fileforge/runs`. */
export function defaultJournalDir(dir: string): string {
  return join(dir, FOLDER_STATE_DIR, 'runs');
}

/**
 * Refuses a `<dir>/.fileforge` that is not a folder of its own: a symbolic link there would put
 * the run's journals and trash (and the journals recovery reads) somewhere else.
 */
export async function assertStateFolder(dir: string): Promise<void> {
  const stats = await lstat(join(dir, FOLDER_STATE_DIR)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (stats && !stats.isDirectory()) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      `[fileforge:sorter] ${join(dir, FOLDER_STATE_DIR)} is a symbolic link or not a folder: a sort keeps its journal there; remove or rename it`,
    );
  }
}

/**
 * The folder a journal's paths are relative to: the one it sits in (`<dir>/.fileforge/runs/`),
 * wherever that folder is now (renamed, a drive mounted elsewhere), else the path it recorded.
 */
export function journalFolder(journalPath: string, recorded: string): string {
  const runs = dirname(resolve(journalPath));
  const state = dirname(runs);
  return basename(runs) === 'runs' && basename(state) === FOLDER_STATE_DIR ? dirname(state) : recorded;
}

/** Where files replaced or deduplicated by a run are kept: `<dir>/.fileforge/trash/<runId>`. */
export function trashPath(runId: string, path: string): string {
  return `${FOLDER_STATE_DIR}/trash/${runId}/${path}`;
}

/**
 * The per-user index of runs, so `fileforge sort --undo <run>` finds a run from any working
 * directory: `$XDG_STATE_HOME/fileforge/sort-runs` (default `~/.local/state/…`;
 * `%LOCALAPPDATA%\fileforge\sort-runs` on Windows). Each entry is a small file named by the
 * run id that holds the sorted folder's path; the journal itself stays in that folder.
 */
export function defaultRunIndexDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env.LOCALAPPDATA)
    return join(env.LOCALAPPDATA, 'fileforge', 'sort-runs');
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'fileforge', 'sort-runs');
}

/** Records which folder a run sorted. Best effort: a read-only home only costs the index. */
export async function indexRun(
  indexDir: string,
  runId: string,
  dir: string,
  journalPath: string,
): Promise<boolean> {
  try {
    await mkdir(indexDir, { recursive: true });
    await writeFile(join(indexDir, runId), `${JSON.stringify({ dir, journal: journalPath })}\n`);
    return true;
  } catch {
    return false;
  }
}

/** The journal path the index holds for a run, or `null`. */
export async function lookUpRun(
  indexDir: string,
  runId: string,
): Promise<{ dir: string; journal: string } | null> {
  if (!isId(runId)) return null;
  try {
    return JSON.parse(await readFile(join(indexDir, runId), 'utf8')) as { dir: string; journal: string };
  } catch {
    return null;
  }
}

/** An open journal: entries are buffered by `add` and made durable together by `flush`. */
export interface JournalWriter {
  readonly path: string;
  add(entry: JournalEntry): void;
  /**
   * Writes what was added and fsyncs it; returns once it is on disk. Flushes run one after
   * the other, so entries added while one is in flight go with the next.
   */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) a run's journal for appending. A new journal's folder is
 * fsynced too, so the file itself survives a power cut.
 */
export async function openJournal(journalDir: string, runId: string): Promise<JournalWriter> {
  if (!isId(runId)) {
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:sorter] Not a run id: "${runId}"`);
  }
  await mkdir(journalDir, { recursive: true });
  const path = join(journalDir, `${runId}.jsonl`);
  const handle: FileHandle = await open(path, 'a');
  try {
    const folder = await open(journalDir, 'r');
    await folder.sync().finally(() => folder.close());
  } catch {
    // Some platforms (Windows) cannot open a folder for fsync; the file's own fsync remains.
  }
  let pending = '';
  let last: Promise<void> = Promise.resolve();
  const write = async (text: string) => {
    // writeFile, not write: it loops over short writes (a disk filling up), so a line is never
    // half on disk with the next one appended after it.
    await handle.writeFile(text);
    await handle.datasync();
  };
  return {
    path,
    add(entry) {
      pending += `${JSON.stringify(entry)}\n`;
    },
    flush() {
      if (pending === '') return last;
      const text = pending;
      pending = '';
      // After the previous flush, whether it succeeded or not (its caller sees its failure).
      last = last.then(
        () => write(text),
        () => write(text),
      );
      return last;
    },
    async close() {
      await handle.close();
    },
  };
}

/** A run's journal read back. */
export interface RunJournal {
  runId: string;
  dir: string;
  path: string;
  entries: JournalEntry[];
}

/**
 * Reads a journal. A last line cut short by a crash is ignored (it was never fsynced as a
 * whole, so nothing happened on its account).
 */
export async function readJournal(path: string): Promise<RunJournal> {
  const text = await readFile(path, 'utf8');
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      // a torn last line
    }
  }
  // A run killed before its first entries reached the disk moved nothing: its journal is empty.
  if (entries.length === 0 && text.trim() === '') {
    const runId = basename(path, '.jsonl');
    return { runId, dir: journalFolder(path, dirname(path)), path, entries: [] };
  }
  const head = entries[0];
  if (head?.type !== 'run') {
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:sorter] ${path} is not a sort journal`);
  }
  // A journal is acted on (recovery, undo): one that names a place outside its folder (a file
  // that came with an archive or a shared folder, not written by a run) is refused whole.
  for (const entry of entries) {
    const outside = pathsOf(entry).find((p) => !isInsidePath(p));
    if (outside !== undefined) {
      throw new FileForgeError(
        ErrorCode.VALIDATION_FAILED,
        `[fileforge:sorter] ${path} is not a sort journal of its folder: it names ${JSON.stringify(outside)}, outside it`,
      );
    }
  }
  return { runId: head.runId, dir: head.dir, path, entries };
}

/** The folder-relative paths an entry acts on. */
function pathsOf(entry: JournalEntry): unknown[] {
  if (entry.type === 'mkdir') return [entry.path];
  if (entry.type !== 'planned') return [];
  return [entry.from, entry.to, ...(entry.displaced ? [entry.displaced.path, entry.displaced.to] : [])];
}

/** A relative path with `/` separators that stays inside its folder (no `..`, `.`, empty or absolute segment). */
function isInsidePath(path: unknown): boolean {
  if (typeof path !== 'string' || path === '' || path.includes('\0') || path.startsWith('/')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Journals in `journalDir` whose run never wrote its `end` (the process died mid-run). */
export async function unfinishedRuns(journalDir: string): Promise<string[]> {
  const names = await readdir(journalDir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.jsonl')).sort()) {
    const path = join(journalDir, name);
    const journal = await readJournal(path).catch(() => null);
    // An empty journal (killed before its first entry) has nothing to settle.
    if (journal && journal.entries.length > 0 && !journal.entries.some((e) => e.type === 'end'))
      out.push(path);
  }
  return out;
}
