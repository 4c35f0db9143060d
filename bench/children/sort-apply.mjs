/**
 * Child: the folder sorter's apply from the built `@fileforge/core` — every move journaled
 * (planned entries fsynced before the moves, moved entries after, in batches), no-clobber
 * moves. The scan and plan run first, untimed.
 * Usage (through runChild): sort-apply.mjs <dir> <rulesPath> <concurrency>
 */
import { readFileSync } from 'node:fs';
import { applyFolderPlan, parseRules, planFolder, rulesNeedHash, scanFolder } from '@fileforge/core';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [dir, rulesPath, concurrency] = process.argv.slice(2);
if (!dir || !rulesPath || !concurrency)
  throw new Error('usage: sort-apply.mjs <dir> <rulesPath> <concurrency>');
const rules = parseRules(readFileSync(rulesPath, 'utf8'));
const plan = await planFolder(dir, await scanFolder(dir, { hash: rulesNeedHash(rules) }), rules);
const startRssBytes = process.memoryUsage().rss;

const start = performance.now();
const report = await applyFolderPlan(plan, { indexDir: null, concurrency: Number(concurrency) });
const ms = performance.now() - start;
if (report.failed > 0)
  throw new Error(
    `${report.failed} moves failed: ${report.items.find((i) => i.status === 'failed')?.reason}`,
  );

reportToParent({ bytes: 0, files: report.moved, ms, peakRssBytes: ownPeakRss(), startRssBytes });
