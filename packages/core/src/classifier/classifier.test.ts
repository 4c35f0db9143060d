import {
  CORPUS_CATEGORIES,
  corpusSubject,
  generateCorpus,
  nearlyEmpty,
} from '@fileforge/test-fixtures/corpus';
import { describe, expect, it } from 'vitest';
import { classifyWith } from './classify.js';
import { trainClassifier } from './train.js';
import type { LabelledExample } from './types.js';

const labelled = (docs: ReturnType<typeof generateCorpus>, from = 0): LabelledExample[] =>
  docs.map((d, i) => ({ subject: corpusSubject(d, from + i), category: d.category }));

const training = labelled(generateCorpus({ perCategory: 30, seed: 1 }));
const model = trainClassifier(training, { seed: 7, now: () => Date.UTC(2026, 0, 1) });
/** Held out: generated with other seeds, never seen in training. */
const heldOut = [
  ...generateCorpus({ perCategory: 40, seed: 2 }),
  ...generateCorpus({ perCategory: 40, seed: 3 }),
];

/** The first `k` words of each of two documents, one after the other: half one, half the other. */
function blend(a: string, b: string): string {
  const wa = a.split(/\s+/);
  const wb = b.split(/\s+/);
  const k = Math.min(80, wa.length, wb.length);
  return `${wa.slice(0, k).join(' ')}\n${wb.slice(0, k).join(' ')}`;
}

describe('trainClassifier / classifyWith on the generated corpus (issue 10 targets)', () => {
  const verdicts = heldOut.map((d, i) => ({
    doc: d,
    verdict: classifyWith(model, corpusSubject(d, 10_000 + i)),
  }));

  it('files at least 90 % of held-out documents in the right category', () => {
    const right = verdicts.filter(({ doc, verdict }) => verdict.category === doc.category).length;
    expect(right / heldOut.length).toBeGreaterThanOrEqual(0.9);
  });

  it('decides at least 80 % of held-out documents without review, and those it decides are right', () => {
    const decided = verdicts.filter(({ verdict }) => verdict.decided);
    expect(decided.length / heldOut.length).toBeGreaterThanOrEqual(0.8);
    const wrong = decided.filter(({ doc, verdict }) => verdict.category !== doc.category);
    expect(wrong.length / decided.length).toBeLessThanOrEqual(0.05);
  });

  it('sends every nearly empty document (blank scan, "Page 1") to review with a reason', () => {
    const docs = nearlyEmpty(11, 40);
    for (const [i, doc] of docs.entries()) {
      const verdict = classifyWith(model, corpusSubject(doc, i));
      expect(verdict.decided, `${doc.name}: ${JSON.stringify(doc.text)}`).toBe(false);
      expect(model.categories).toContain(verdict.category);
      expect(verdict.reason).toMatch(/Too little text/);
    }
  });

  it('sends documents that are half one category, half another to review', () => {
    const docs = generateCorpus({ perCategory: 20, seed: 4 });
    let count = 0;
    for (let i = 0; i + 1 < docs.length; i++) {
      const [a, b] = [docs[i]!, docs[i + 1]!];
      const text = blend(a.text, b.text);
      const verdict = classifyWith(model, corpusSubject({ name: `mixed-${i}.pdf`, text }, i));
      expect(verdict.decided, `${a.category} + ${b.category}: score ${verdict.score}`).toBe(false);
      expect(verdict.reason).toMatch(/below its threshold/);
      count++;
    }
    expect(count).toBe(99);
  });

  it('explains a decision with the words that weighed most', () => {
    const invoice = heldOut.find((d) => d.category === 'invoices' && d.text.includes('Invoice number'))!;
    const verdict = classifyWith(model, corpusSubject(invoice, 0));
    expect(verdict).toMatchObject({ category: 'invoices', decided: true, reason: null });
    expect(verdict.threshold).toBe(model.thresholds.invoices);
    expect(verdict.terms.length).toBeGreaterThan(0);
    expect(verdict.terms.some((t) => ['invoice', 'due', 'bill', 'subtotal', 'vat'].includes(t))).toBe(true);
    expect(Object.keys(verdict.scores)).toEqual([...CORPUS_CATEGORIES].sort());
  });

  it('keeps thresholds within [0.5, 0.95] and reports how they were chosen', () => {
    for (const category of model.categories) {
      expect(model.thresholds[category]).toBeGreaterThanOrEqual(0.5);
      expect(model.thresholds[category]).toBeLessThanOrEqual(0.95);
      expect(model.thresholdReport[category]!.source).toBe('cross-validation');
    }
    expect(model.evaluation).toMatchObject({ folds: 5 });
    expect(model.evaluation!.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
