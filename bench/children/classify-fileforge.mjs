/**
 * Child: FileForge's learned classifier from the built `@fileforge/core`. Trains on the
 * 150-label and 1,500-label sets (timed, once each after one untimed warm-up training), then
 * classifies the held-out documents `rounds` times (timed) and reports accuracy and the share
 * decided without review.
 * Usage (through runChild): classify-fileforge.mjs <corpus.json> <rounds>
 */
import { readFileSync } from 'node:fs';
import { classifyWith, trainClassifier } from '@fileforge/core';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [file, rounds] = process.argv.slice(2);
if (!file || !rounds) throw new Error('usage: classify-fileforge.mjs <corpus.json> <rounds>');
/** @type {{ small: any[]; large: any[]; heldOut: { subject: any; category: string }[] }} */
const corpus = JSON.parse(readFileSync(file, 'utf8'));
const now = () => Date.UTC(2026, 0, 1);

trainClassifier(corpus.small, { seed: 1, now });
/** @param {any[]} examples */
const timeTraining = (examples) => {
  const start = performance.now();
  const model = trainClassifier(examples, { seed: 1, now });
  return { model, ms: performance.now() - start, json: JSON.stringify(model).length };
};
const small = timeTraining(corpus.small);
const large = timeTraining(corpus.large);

const subjects = corpus.heldOut.map((d) => d.subject);
let right = 0;
let decided = 0;
for (const [i, verdict] of subjects.map((s) => classifyWith(small.model, s)).entries()) {
  if (verdict.category === corpus.heldOut[i]?.category) right++;
  if (verdict.decided) decided++;
}
const bytes = subjects.reduce((sum, s) => sum + Buffer.byteLength(s.text), 0) * Number(rounds);
let checksum = 0;
const start = performance.now();
for (let r = 0; r < Number(rounds); r++) {
  for (const subject of subjects) checksum += classifyWith(small.model, subject).score;
}
const ms = performance.now() - start;
reportToParent({
  bytes,
  files: subjects.length * Number(rounds),
  ms,
  peakRssBytes: ownPeakRss(),
  checksum,
  training: [
    {
      labels: corpus.small.length,
      ms: small.ms,
      modelBytes: small.json,
      vocabulary: small.model.vocabulary.length,
    },
    {
      labels: corpus.large.length,
      ms: large.ms,
      modelBytes: large.json,
      vocabulary: large.model.vocabulary.length,
    },
  ],
  accuracy: right / subjects.length,
  decidedRate: decided / subjects.length,
});
