/**
 * Child: the folder sorter's simulate (`fileforge sort DIR --dry-run` without the printing)
 * from the built `@fileforge/core`: scan the folder (type from each file's head, text of text
 * files), then decide and plan every file. Both phases are timed separately.
 * Usage (through runChild): sort-simulate.mjs <dir> <rulesPath>
 */
import { readFileSync } from 'node:fs';
import { parseRules, planFolder, rulesNeedHash, scanFolder } from '@fileforge/core';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [dir, rulesPath] = process.argv.slice(2);
if (!dir || !rulesPath) throw new Error('usage: sort-simulate.mjs <dir> <rulesPath>');
const rules = parseRules(readFileSync(rulesPath, 'utf8'));
const startRssBytes = process.memoryUsage().rss;

const scanStart = performance.now();
const files = await scanFolder(dir, { hash: rulesNeedHash(rules) });
const scanMs = performance.now() - scanStart;
const planStart = performance.now();
const plan = await planFolder(dir, files, rules);
const planMs = performance.now() - planStart;

const moving = plan.items.filter((i) => i.action !== 'none' && i.action !== 'skip').length;
reportToParent({ files: files.length, moving, scanMs, planMs, peakRssBytes: ownPeakRss(), startRssBytes });
