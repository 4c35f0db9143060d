import { corpusSubject, generateCorpus } from '@fileforge/test-fixtures/corpus';
import { describe, expect, it } from 'vitest';
import { classifyWith } from './classify.js';
import { trainClassifier } from './train.js';
import type { ClassifierModel, LabelledExample } from './types.js';

const docs = generateCorpus({ perCategory: 12, seed: 21 });
const examples: LabelledExample[] = docs.map((d, i) => ({
  subject: corpusSubject(d, i),
  category: d.category,
}));
const now = () => Date.UTC(2026, 2, 4, 9, 30);
const probes = generateCorpus({ perCategory: 6, seed: 22 }).map((d, i) => corpusSubject(d, i));

describe('trainClassifier', () => {
  it('gives a byte-identical model for the same labels and seed, whatever their order', () => {
    const first = JSON.stringify(trainClassifier(examples, { seed: 3, now }));
    expect(JSON.stringify(trainClassifier(examples, { seed: 3, now }))).toBe(first);
    expect(JSON.stringify(trainClassifier([...examples].reverse(), { seed: 3, now }))).toBe(first);
    expect(JSON.parse(first)).toMatchObject({
      version: 1,
      trainedAt: '2026-03-04T09:30:00.000Z',
      labelCount: 60,
    });
  });

  it('classifies identically after a JSON round trip (what the catalog stores)', () => {
    const model = trainClassifier(examples, { seed: 3, now });
    const parsed = JSON.parse(JSON.stringify(model)) as ClassifierModel;
    for (const subject of probes) expect(classifyWith(parsed, subject)).toEqual(classifyWith(model, subject));
  });

  it('never answers a category it was not trained on', () => {
    const two = examples.filter((e) => e.category === 'invoices' || e.category === 'recipes');
    const model = trainClassifier(two, { seed: 1, now });
    expect(model.categories).toEqual(['invoices', 'recipes']);
    // The probes hold CVs, contracts and minutes too.
    for (const subject of probes) {
      expect(['invoices', 'recipes']).toContain(classifyWith(model, subject).category);
    }
  });

  it('uses thresholds given per category instead of the cross-validated ones', () => {
    const model = trainClassifier(examples, { seed: 3, now, thresholds: { cvs: 0.99 } });
    expect(model.thresholds.cvs).toBe(0.99);
    expect(model.thresholdReport.cvs!.source).toBe('given');
    expect(model.thresholdReport.recipes!.source).toBe('cross-validation');
  });

  it('falls back to the strictest threshold when a category has a single label', () => {
    const lonely = [
      ...examples.filter((e) => e.category !== 'cvs'),
      examples.find((e) => e.category === 'cvs')!,
    ];
    const model = trainClassifier(lonely, { seed: 3, now });
    expect(model.thresholds).toMatchObject({ cvs: 0.95, invoices: 0.95 });
    expect(model.thresholdReport.cvs!.source).toBe('too-few-labels');
    expect(model.evaluation).toBeNull();
  });

  it('caps the vocabulary', () => {
    const model = trainClassifier(examples, { seed: 3, now, maxVocabulary: 50 });
    expect(model.vocabulary).toHaveLength(50);
    expect(model.counts.invoices).toHaveLength(50);
    expect([...model.vocabulary].sort()).toEqual(model.vocabulary);
  });

  it('refuses labels of a single category, empty categories and bad thresholds', () => {
    const invoices = examples.filter((e) => e.category === 'invoices');
    expect(() => trainClassifier(invoices)).toThrow(/at least 2 categories/);
    expect(() => trainClassifier([])).toThrow(/at least 2 categories/);
    expect(() => trainClassifier([...examples, { subject: probes[0]!, category: '' }])).toThrow(/non-empty/);
    expect(() => trainClassifier(examples, { thresholds: { cvs: 1.5 } })).toThrow(/within \[0, 1\]/);
    expect(() => trainClassifier(examples, { thresholds: { memes: 0.7 } })).toThrow(/no labels/);
  });

  it('refuses a model of another version', () => {
    const model = { ...trainClassifier(examples, { now }), version: 2 } as unknown as ClassifierModel;
    expect(() => classifyWith(model, probes[0]!)).toThrow(/Unsupported model version 2/);
  });
});
