/**
 * Sorts a folder in place with rules, from code: a dry run (the plan, nothing changed), the
 * run (journaled moves), and its undo (every file back where it was).
 *
 *   npm start -w examples/sort-folder                          # a demo folder in a temp dir
 *   SORT_DIR=~/Downloads STEPS=dry-run npm start -w examples/sort-folder
 *   SORT_DIR=~/Downloads STEPS=apply npm start -w examples/sort-folder
 *   SORT_DIR=~/Downloads STEPS=undo RUN=01… npm start -w examples/sort-folder
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyFolderPlan,
  defaultJournalDir,
  type FolderPlan,
  parseRules,
  planFolder,
  recoverUnfinishedRuns,
  rulesNeedHash,
  scanFolder,
  undoSortRun,
} from '@fileforge/core';
import { writeDemoFolder } from './demo-folder.js';

const STEP_NAMES = ['dry-run', 'apply', 'undo'] as const;
type Step = (typeof STEP_NAMES)[number];

const steps = (process.env.STEPS ?? 'dry-run,apply,undo').split(',').map((s) => s.trim());
const unknown = steps.filter((s) => !STEP_NAMES.includes(s as Step));
if (unknown.length > 0) {
  console.error(`Unknown step(s) ${unknown.join(', ')}; STEPS is a list of ${STEP_NAMES.join(', ')}`);
  process.exit(2);
}
const demo = !process.env.SORT_DIR;
const dir = demo ? await mkdtemp(join(tmpdir(), 'fileforge-sort-folder-')) : resolve(process.env.SORT_DIR!);
if (demo) await writeDemoFolder(dir);
const rulesPath = process.env.RULES ?? fileURLToPath(new URL('rules.yaml', import.meta.url));
const rules = parseRules(await readFile(rulesPath, 'utf8'), rulesPath.endsWith('.json') ? 'json' : 'yaml');

/** Decides every file of the folder with the rules; changes nothing. */
async function plan(): Promise<FolderPlan> {
  const files = await scanFolder(dir, {
    hash: rulesNeedHash(rules),
    // A name that is not valid UTF-8 cannot be reached by a path string: it is left out.
    onSkip: (path, reason) => console.warn(`skipped ${path}: ${reason}`),
  });
  return planFolder(dir, files, rules);
}

let runId = process.env.RUN;
try {
  if (!steps.includes('dry-run') || steps.includes('apply')) {
    // A run killed mid-move can leave a file under two names: settle such runs before scanning.
    for (const r of await recoverUnfinishedRuns(defaultJournalDir(dir)))
      console.log(`recovered an interrupted run: ${r.journal}`);
  }
  if (steps.includes('dry-run')) {
    const { items, warnings } = await plan();
    const moving = items.filter((i) => i.action !== 'none' && i.action !== 'skip');
    console.log(
      `plan for ${dir}: ${items.length} file(s), ${moving.length} to move (dry run, nothing changed)`,
    );
    for (const item of items) {
      const where = moving.includes(item) ? `→ ${item.to}` : '(stays)';
      console.log(`  ${item.id} ${where}  ${item.ruleId ? `[${item.ruleId}] ` : ''}${item.reason}`);
    }
    for (const warning of warnings) console.warn(`warning: ${warning}`);
  }
  if (steps.includes('apply')) {
    const report = await applyFolderPlan(await plan());
    runId = report.runId;
    for (const item of report.items)
      if (item.status !== 'skipped') console.log(`  ${item.status} ${item.from} → ${item.to ?? '-'}`);
    console.log(
      `run ${report.runId}: ${report.moved} moved, ${report.skipped} left in place, ${report.failed} failed`,
    );
  }
  if (steps.includes('undo')) {
    if (!runId) throw new Error('Set RUN to the id of the run to undo (printed by the apply step)');
    const undo = await undoSortRun(join(defaultJournalDir(dir), `${runId}.jsonl`));
    console.log(`undo ${undo.runId}: ${undo.restored} file(s) put back, ${undo.alreadyUndone} already back`);
    if (undo.stopped) {
      console.error(`undo stopped at ${undo.stopped.path}: ${undo.stopped.reason}`);
      process.exitCode = 1;
    }
  }
} finally {
  if (demo) await rm(dir, { recursive: true, force: true });
}
