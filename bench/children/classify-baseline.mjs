/**
 * Child: the floor under any bag-of-words classifier — only tokenising each held-out text
 * (lower case, Unicode letter/digit runs) and counting its words in a Map, `rounds` times,
 * with no features, no model and no scoring.
 * Usage (through runChild): classify-baseline.mjs <corpus.json> <rounds>
 */
import { readFileSync } from 'node:fs';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [file, rounds] = process.argv.slice(2);
if (!file || !rounds) throw new Error('usage: classify-baseline.mjs <corpus.json> <rounds>');
/** @type {{ heldOut: { subject: { text: string } }[] }} */
const corpus = JSON.parse(readFileSync(file, 'utf8'));
const texts = corpus.heldOut.map((d) => d.subject.text);
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** @param {string} text */
const countWords = (text) => {
  const counts = new Map();
  for (const [word] of text.toLowerCase().matchAll(WORD)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts.size;
};
for (const text of texts) countWords(text);

const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0) * Number(rounds);
let checksum = 0;
const start = performance.now();
for (let r = 0; r < Number(rounds); r++) for (const text of texts) checksum += countWords(text);
const ms = performance.now() - start;
reportToParent({ bytes, files: texts.length * Number(rounds), ms, peakRssBytes: ownPeakRss(), checksum });
