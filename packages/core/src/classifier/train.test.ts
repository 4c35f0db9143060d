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

  it('gives a category with a single label the strictest threshold, and still validates the others', () => {
    const lonely = [
      ...examples.filter((e) => e.category !== 'cvs'),
      examples.find((e) => e.category === 'cvs')!,
    ];
    const model = trainClassifier(lonely, { seed: 3, now });
    expect(model.thresholds.cvs).toBe(0.95);
    expect(model.thresholdReport.cvs!.source).toBe('too-few-labels');
    // One new category does not send every other category's files to review.
    expect(model.thresholdReport.invoices!.source).toBe('cross-validation');
    expect(model.thresholds.invoices).toBeLessThan(0.95);
    expect(model.evaluation).not.toBeNull();
    const full = trainClassifier(examples, { seed: 3, now });
    const invoice = probes.find((p) => /invoice/i.test(p.name ?? ''));
    if (invoice) expect(classifyWith(model, invoice).decided).toBe(classifyWith(full, invoice).decided);
  });

  it('keeps a category named __proto__ like any other: its own threshold, decided when sure', () => {
    const renamed = examples.map((e) => (e.category === 'recipes' ? { ...e, category: '__proto__' } : e));
    const model = trainClassifier(renamed, { seed: 3, now });
    const own = Object.getOwnPropertyDescriptor(model.thresholds, '__proto__')?.value;
    expect(typeof own).toBe('number');
    const recipes = examples.filter((e) => e.category === 'recipes');
    const decided = recipes.filter((e) => {
      const verdict = classifyWith(model, e.subject);
      return verdict.decided && verdict.category === '__proto__';
    });
    expect(decided.length).toBeGreaterThan(recipes.length / 2);
    const stored = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(classifyWith(stored, recipes[0]!.subject).threshold).toBe(own);
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
