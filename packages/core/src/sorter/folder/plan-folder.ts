import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { createId } from '../../ids/id.js';
import type { Occupant } from '../conflict.js';
import { type DecideOptions, type Decision, decide } from '../decide.js';
import { foldersOf, type PlanItem, planSort } from '../plan.js';
import type { Condition, Rule } from '../rule-schema.js';
import { trashPath } from './journal.js';
import { type FolderFile, hashFile } from './read-file-subject.js';
import { FOLDER_STATE_DIR } from './scan.js';

/** A folder sort worked out but not applied: what `--dry-run` prints and `applyFolderPlan` runs. */
export interface FolderPlan {
  dir: string;
  /** The id the run will have when applied (trash paths in the plan name it). */
  runId: string;
  items: PlanItem[];
  /**
   * Warnings prefixed with the file's path: text extraction that failed (the file's text was
   * `''`), then template and regex warnings.
   */
  warnings: string[];
}

/** Options for {@link planFolder}. */
export interface PlanFolderOptions extends DecideOptions {
  runId?: string;
}

/** How a planner sees what is at a path: a file, a folder, or something else (a link). */
const kindOf = (entry: Dirent | Stats): Partial<Occupant> =>
  entry.isFile() ? {} : entry.isDirectory() ? { notAFile: true, folder: true } : { notAFile: true };

function mentions(conditions: readonly Condition[], field: string): boolean {
  return conditions.some((c) =>
    'not' in c
      ? mentions([c.not], field)
      : 'conditions' in c
        ? mentions(c.conditions, field)
        : c.field === field,
  );
}

/**
 * Whether scanning must hash every file: only a rule on `sha256`, a `{sha256}` in a
 * destination, or the `deduplicate` conflict mode looks at content hashes. Hashing reads
 * every byte of every file, so the folder sorter skips it otherwise.
 */
export function rulesNeedHash(rules: readonly Rule[]): boolean {
  return rules.some(
    (r) =>
      r.enabled &&
      (r.onConflict === 'deduplicate' ||
        r.destination?.includes('{sha256}') ||
        mentions(r.conditions, 'sha256')),
  );
}

/**
 * Whether scanning must extract the text of PDFs and other documents: only a condition on
 * `text` (a text match, or a field condition on it) reads it. Extraction parses every such
 * file, so the folder sorter skips it otherwise (`ReadFileSubjectOptions.extractText`).
 */
export function rulesNeedText(rules: readonly Rule[]): boolean {
  return rules.some((r) => r.enabled && mentions(r.conditions, 'text'));
}

/**
 * Decides every file and plans the moves, changing nothing on disk. What is already in each
 * destination folder is listed (one `readdir` per folder) so conflicts are resolved against
 * the real folder; occupants are hashed only where a rule's conflict mode is `deduplicate`.
 * A file's `createdAt` for templates is its modification time.
 */
export async function planFolder(
  dir: string,
  files: readonly FolderFile[],
  rules: Rule[],
  options: PlanFolderOptions = {},
): Promise<FolderPlan> {
  const runId = options.runId ?? createId((options.now ?? Date.now)());
  const decisions: Decision[] = [];
  for (const file of files) decisions.push(await decide(file.subject, rules, options));

  const occupied = new Map<string, Occupant>();
  for (const file of files)
    occupied.set(file.path, { path: file.path, sha256: file.subject.sha256, id: file.path });
  const dedupeTargets = new Set<string>();
  const folders = new Set<string>();
  for (const d of decisions) {
    if (d.destination === null) continue;
    folders.add(posix.dirname(d.destination));
    if (d.onConflict === 'deduplicate') dedupeTargets.add(d.destination);
  }
  for (const folder of folders) {
    if (folder === FOLDER_STATE_DIR || folder.startsWith(`${FOLDER_STATE_DIR}/`)) continue;
    const entries = await readdir(join(dir, ...folder.split('/')), { withFileTypes: true }).catch(
      () => [] as Dirent[],
    );
    for (const entry of entries) {
      const path = folder === '.' ? entry.name : `${folder}/${entry.name}`;
      if (occupied.has(path)) continue;
      const sha256 = dedupeTargets.has(path)
        ? await hashFile(join(dir, ...path.split('/'))).catch(() => '')
        : '';
      // A folder (or link) in the way is named around, never overwritten or moved aside whole.
      occupied.set(path, { path, sha256, ...kindOf(entry) });
    }
  }
  // What holds the folders a destination needs: a file or a link there blocks it.
  for (const folder of folders) {
    if (folder === '.' || occupied.has(folder)) continue;
    for (const path of foldersOf(`${folder}/_`)) {
      if (occupied.has(path)) continue;
      const there = await lstat(join(dir, ...path.split('/'))).catch(() => null);
      if (there === null) break;
      occupied.set(path, { path, sha256: '', ...kindOf(there) });
    }
  }
  const items = planSort(decisions, occupied).map((item): PlanItem => {
    // The folder sorter keeps what it replaces in its own trash, per run, so undo can restore it.
    if (item.action === 'trash' && item.displaced) {
      const to = trashPath(runId, item.displaced.path);
      const reason = item.reason.replace(item.displaced.to, to);
      return { ...item, reason, displaced: { path: item.displaced.path, to } };
    }
    return item;
  });
  const warnings = [
    ...files.flatMap((f) => (f.warnings ?? []).map((w) => `${f.path}: ${w}`)),
    ...decisions.flatMap((d) => d.warnings.map((w) => `${d.subject.id}: ${w}`)),
  ];
  return { dir, runId, items, warnings };
}
