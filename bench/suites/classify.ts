import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { corpusSubject, generateCorpus } from '@fileforge/test-fixtures/corpus';
import { childScript, runChild } from '../lib/child.js';
import { alternate, type Sample, type SubjectRuns } from '../lib/samples.js';
import type { Suite } from '../lib/suite.js';

/** Times each side classifies (tokenises) the held-out set per run. */
const ROUNDS = 5;
/** Held-out documents per category (different seed from the labels). */
const HELD_OUT = 200;

interface Training {
  labels: number;
  ms: number;
  modelBytes: number;
  vocabulary: number;
}
type ClassifySample = Sample & { training: Training[]; accuracy: number; decidedRate: number };

const labelled = (perCategory: number, seed: number, from: number) =>
  generateCorpus({ perCategory, seed }).map((d, i) => ({
    subject: corpusSubject(d, from + i),
    category: d.category,
  }));

/**
 * The learned classifier on the generated corpus (`@fileforge/test-fixtures/corpus`), each run
 * a fresh child on bare `node`: training time on 150 and 1,500 labels, then classifications/s
 * of 1,000 held-out documents beside a baseline that only tokenises and counts their words
 * (which bounds the speed of any bag-of-words model). The run fails unless the 150-label model
 * gets ≥ 90 % of the held-out documents right and decides ≥ 80 % (issue 10).
 */
export const classifySuite: Suite = {
  name: 'classify',
  summary:
    'trainClassifier() on 150 and 1,500 labels, then classifyWith() over 1,000 held-out documents ×5 ' +
    'vs tokenising and counting the same texts',
  unit: 'files/s',
  targets: {},
  async run({ dir, runs, log }) {
    const file = join(dir, 'corpus.json');
    const corpus = {
      small: labelled(30, 1, 0),
      large: labelled(300, 11, 0),
      heldOut: labelled(HELD_OUT, 2, 100_000),
    };
    await writeFile(file, JSON.stringify(corpus));
    log(
      `  corpus: ${corpus.small.length} and ${corpus.large.length} labels, ${corpus.heldOut.length} held out`,
    );
    const training: Training[][] = [];
    const quality: { accuracy: number; decidedRate: number }[] = [];
    const args = [file, String(ROUNDS)];
    const measured = await alternate(
      runs,
      {
        async fileforge() {
          const sample = await runChild<ClassifySample>(childScript('classify-fileforge.mjs'), args);
          if (sample.accuracy < 0.9 || sample.decidedRate < 0.8) {
            throw new Error(`accuracy ${sample.accuracy}, decided ${sample.decidedRate}: below 0.9 / 0.8`);
          }
          training.push(sample.training);
          quality.push({ accuracy: sample.accuracy, decidedRate: sample.decidedRate });
          const { training: t, accuracy: a, decidedRate: d, ...rest } = sample;
          return { bytes: rest.bytes, files: rest.files, ms: rest.ms, peakRssBytes: rest.peakRssBytes };
        },
        async baseline() {
          const sample = await runChild<Sample>(childScript('classify-baseline.mjs'), args);
          return {
            bytes: sample.bytes,
            files: sample.files,
            ms: sample.ms,
            peakRssBytes: sample.peakRssBytes,
          };
        },
      },
      log,
      'files/s',
    );
    // Training as extra subjects: one "file" per label, so the table shows labels/s.
    const trainingRuns = (index: number): SubjectRuns => ({
      samples: training.map((t) => ({
        bytes: 0,
        files: t[index]!.labels,
        ms: t[index]!.ms,
        peakRssBytes: 0,
      })),
    });
    for (const [i, t] of (training[0] ?? []).entries()) {
      const times = training.map((r) => r[i]!.ms.toFixed(0)).join(', ');
      log(
        `  training on ${t.labels} labels: ${times} ms (vocabulary ${t.vocabulary}, model ${(t.modelBytes / 1024).toFixed(0)} KiB)`,
      );
    }
    if (quality[0]) {
      log(
        `  held out: ${(quality[0].accuracy * 100).toFixed(1)} % right, ${(quality[0].decidedRate * 100).toFixed(1)} % decided`,
      );
    }
    return {
      input: {
        label: `${corpus.heldOut.length} docs ×${ROUNDS}`,
        labels: [corpus.small.length, corpus.large.length],
        heldOut: corpus.heldOut.length,
        rounds: ROUNDS,
        training: training[0],
        quality: quality[0],
      },
      runs: {
        ...measured,
        extra: { 'train 150 labels': trainingRuns(0), 'train 1,500 labels': trainingRuns(1) },
      },
    };
  },
};
