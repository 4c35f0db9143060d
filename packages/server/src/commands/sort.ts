import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AppliedItem,
  applyFolderPlan,
  assertStateFolder,
  defaultJournalDir,
  FileForgeError,
  type FolderFile,
  type FolderPlan,
  parseRules,
  planFolder,
  type Rule,
  recoverUnfinishedRuns,
  rulesNeedHash,
  rulesNeedText,
  scanFolder,
  unfinishedRuns,
} from '@fileforge/core';
import { createProgressBar } from './progress-bar.js';
import { lockSortedFolder } from './sort-lock.js';
import { createFolderTextExtractor } from './sort-text.js';
import { runSortUndo } from './sort-undo.js';
import { writeLine } from './terminal-text.js';

/** `fileforge sort --help`. */
export const SORT_USAGE = `Usage: fileforge sort DIR --rules FILE [--dry-run] [--recursive] [--dotfiles] [--json]
       fileforge sort --undo RUN [DIR] [--json]
  Sorts the files of DIR into folders inside DIR by rules (YAML or JSON; see
  docs/sorting-cli.md). Works on the folder itself: no server, nothing copied.
  --rules FILE   the rules file
  --dry-run      print the plan (source → destination, rule, reason); change nothing
  --recursive    also sort files in sub-folders (default: DIR's own files only)
  --dotfiles     include names starting with a dot
  --json         machine-readable output on stdout
  --undo RUN     move the files of run RUN back (found through the run index, or in DIR)
  Every applied run is journaled in DIR/.fileforge/runs/RUN.jsonl.
  Exit codes: 0 done, 1 some files failed or undo stopped at a changed file, 2 usage error,
  130 interrupted (Ctrl-C): the run is named, with its undo command.
`;

const usageError = (message: string) => {
  process.stderr.write(`fileforge sort: ${message}\n\n${SORT_USAGE}`);
  return 2;
};

async function loadRules(path: string): Promise<Rule[] | string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return `cannot read the rules file ${path}: ${(error as Error).message}`;
  }
  try {
    return parseRules(text, path.endsWith('.json') ? 'json' : 'yaml');
  } catch (error) {
    if (!FileForgeError.is(error)) throw error;
    const issues = (error.details?.issues as Array<{ path: string; message: string }> | undefined) ?? [];
    return `${path}: invalid rules\n${issues.map((i) => `  ${i.path || '(document)'}: ${i.message}`).join('\n')}`;
  }
}

function printPlan(plan: FolderPlan): void {
  const moving = plan.items.filter((i) => i.action !== 'none' && i.action !== 'skip');
  writeLine(
    process.stdout,
    `Plan for ${plan.dir}: ${plan.items.length} file(s), ${moving.length} to move (dry run, nothing changed)`,
  );
  for (const item of plan.items) {
    const rule = item.ruleId ? `[${item.ruleId}] ` : '';
    const where =
      item.action === 'none' || item.action === 'skip'
        ? `${item.id}  (stays)`
        : item.action === 'deduplicate'
          ? `${item.id} → .fileforge/trash/${plan.runId}/${item.id}`
          : `${item.id} → ${item.to}`;
    const displaced = item.displaced ? `; ${item.displaced.path} → ${item.displaced.to}` : '';
    writeLine(process.stdout, `  ${where}  ${rule}${item.reason}${displaced}`);
    // Why the rule matched (its conditions, the words found, the model's score), when one did.
    if (item.ruleId !== null) writeLine(process.stdout, `      why: ${item.decision.explanation.summary}`);
  }
  for (const warning of plan.warnings) writeLine(process.stderr, `warning: ${warning}`);
}

const planJson = (plan: FolderPlan) => ({
  dir: plan.dir,
  dryRun: true,
  items: plan.items.map(({ id, from, to, ruleId, category, action, reason, displaced, decision }) => ({
    from: from ?? id,
    to,
    ruleId,
    category,
    action,
    reason,
    ...(displaced ? { displaced } : {}),
    why: decision.explanation.summary,
  })),
  warnings: plan.warnings,
});

/**
 * `fileforge sort DIR --rules FILE [--dry-run] [--recursive] [--dotfiles] [--json]` and
 * `fileforge sort --undo RUN [DIR]`: sorts a folder in place by rules, journaled so that
 * every run can be undone; needs no server and reads no server configuration.
 */
export async function runSort(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      rules: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      recursive: { type: 'boolean', default: false },
      dotfiles: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      undo: { type: 'string' },
    },
  });
  if (values.undo !== undefined) {
    if (positionals.length > 1) return usageError('--undo takes a run id and at most one folder');
    // An undo moves files back at once: it has no preview, and takes no rules or scan options.
    const extra = [
      ...(values.rules === undefined ? [] : ['--rules']),
      ...(['dry-run', 'recursive', 'dotfiles'] as const).filter((o) => values[o]).map((o) => `--${o}`),
    ];
    if (extra.length > 0) return usageError(`--undo takes no ${extra.join(', ')} (an undo has no preview)`);
    return runSortUndo(values.undo, positionals[0], values.json ?? false, usageError);
  }
  if (positionals.length !== 1) return usageError('give exactly one folder to sort');
  if (!values.rules) return usageError('give the rules file with --rules FILE');
  const dir = resolve(positionals[0]!);
  if (!(await stat(dir).catch(() => null))?.isDirectory())
    return usageError(`${positionals[0]} is not a folder`);
  const rules = await loadRules(values.rules);
  if (typeof rules === 'string') return usageError(rules);

  await assertStateFolder(dir);
  // One sort or undo of a folder at a time: another one's journal is live, not a crash to settle.
  const unlock = values['dry-run'] ? undefined : await lockSortedFolder(dirname(defaultJournalDir(dir)));
  try {
    return await sortNow(dir, rules, values);
  } finally {
    await unlock?.();
  }
}

/** Settles interrupted runs, scans, plans and (unless a dry run) applies. */
async function sortNow(
  dir: string,
  rules: Rule[],
  values: { 'dry-run'?: boolean; recursive?: boolean; dotfiles?: boolean; json?: boolean },
): Promise<number> {
  // A run killed mid-move can leave a file under two names: settle such runs before scanning,
  // or the scan would see two files. A dry run changes nothing, so it only says so.
  const recovered: string[] = [];
  if (values['dry-run']) {
    for (const path of await unfinishedRuns(defaultJournalDir(dir))) {
      writeLine(
        process.stderr,
        `warning: run ${path} was interrupted; the next sort or its undo settles it first`,
      );
    }
  } else {
    for (const r of await recoverUnfinishedRuns(defaultJournalDir(dir))) recovered.push(r.journal);
  }
  // PDFs' and Office documents' text is extracted only when a rule reads text.
  const extractor = rulesNeedText(rules) ? createFolderTextExtractor() : undefined;
  let files: FolderFile[];
  const skipped: string[] = [];
  try {
    files = await scanFolder(dir, {
      recursive: values.recursive ?? false,
      dotfiles: values.dotfiles ?? false,
      hash: rulesNeedHash(rules),
      ...(extractor ? { extractText: extractor.extractText } : {}),
      onSkip: (path, reason) => skipped.push(`${path}: ${reason}`),
    });
  } finally {
    extractor?.close();
  }
  const plan = await planFolder(dir, files, rules);
  plan.warnings.unshift(...skipped);
  if (values['dry-run']) {
    if (values.json) process.stdout.write(`${JSON.stringify(planJson(plan), null, 2)}\n`);
    else printPlan(plan);
    return 0;
  }

  const tty = !values.json && process.stderr.isTTY === true;
  const bar = tty ? createProgressBar(process.stderr, plan.items.length, 'files') : undefined;
  const line = (item: AppliedItem) => {
    if (item.status === 'moved') writeLine(process.stdout, `moved   ${item.from} → ${item.to}`);
    else if (item.status === 'failed') writeLine(process.stderr, `failed  ${item.from}: ${item.reason}`);
  };
  // Ctrl-C (or a SIGTERM) stops the run between moves and still says which run to undo.
  const stop = new AbortController();
  const interrupt = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let handled = 0;
  let report: Awaited<ReturnType<typeof applyFolderPlan>>;
  try {
    report = await applyFolderPlan(plan, {
      signal: stop.signal,
      onProgress: (done, _total, item) => {
        handled = done;
        if (bar) {
          bar.update(done);
          if (item.status === 'failed') {
            process.stderr.write('\n');
            writeLine(process.stderr, `failed  ${item.from}: ${item.reason}`);
          }
        } else if (!values.json) line(item);
      },
    });
  } catch (error) {
    if (!stop.signal.aborted) throw error;
    bar?.done();
    writeLine(
      process.stderr,
      `interrupted: run ${plan.runId} stopped after ${handled} of ${plan.items.length} file(s); its journal is settled by the next sort or its undo`,
    );
    writeLine(process.stderr, `undo with: fileforge sort --undo ${plan.runId} ${dir}`);
    return 130;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  bar?.done();
  for (const warning of plan.warnings) writeLine(process.stderr, `warning: ${warning}`);
  if (values.json) {
    const { items, ...summary } = report;
    const all = [...recovered, ...report.recovered];
    process.stdout.write(`${JSON.stringify({ ...summary, recovered: all, items }, null, 2)}\n`);
  } else {
    for (const path of [...recovered, ...report.recovered])
      writeLine(process.stdout, `recovered an interrupted run: ${path}`);
    process.stdout.write(
      `run ${report.runId}: ${report.moved} moved, ${report.skipped} left in place, ${report.failed} failed\n`,
    );
    writeLine(process.stdout, `journal: ${report.journal}`);
    writeLine(
      process.stdout,
      `undo with: fileforge sort --undo ${report.runId}${report.indexed ? '' : ` ${dir}`}`,
    );
  }
  return report.failed > 0 ? 1 : 0;
}
