import { type FileRecord, type Processor, RETRAIN_EVERY } from '@fileforge/core';
import { generateCorpus, nearlyEmpty } from '@fileforge/test-fixtures/corpus';
import { describe, expect, it } from 'vitest';
import { addFile, testForges } from './support/sorted-tree.js';

/** Stands in for the text processors: the whole text as `metadata.document.text`. */
const documentText: Processor = {
  name: 'document',
  mimeTypes: ['text/*'],
  async extractMetadata(file) {
    const chunks: Buffer[] = [];
    for await (const chunk of await file.open()) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8') };
  },
};

const { newForge } = testForges('fileforge-sorted-review-', { processors: [documentText] });

const asText = (name: string) => `${name.replace(/\.[a-z]+$/i, '')}.txt`;

describe('sorted tree: review queue and learning from corrections (issue 10)', () => {
  it('before any model a file no rule decides is unclassified, not sent to review', async () => {
    const forge = await newForge();
    const [doc] = generateCorpus({ perCategory: 1, seed: 3 });
    const file = await addFile(forge, asText(doc?.name ?? 'a'), doc?.text ?? '');
    const c = await forge.sorter.classifyFile('default', file.id);
    expect(c).toMatchObject({ status: 'unclassified', category: null, decidedBy: null });
    expect((await forge.sorter.review()).items).toEqual([]);
  });

  it(`corrections are labels: the model trains itself after ${RETRAIN_EVERY}, decides clear files and sends unsure ones to review`, {
    timeout: 120_000,
  }, async () => {
    const forge = await newForge();
    const classified: string[] = [];
    forge.events.on('file.classified', (e) => {
      classified.push(`${e.file.id}:${e.classification.status}`);
    });
    const labelled: FileRecord[] = [];
    const corpus = generateCorpus({ perCategory: 8, seed: 11 });
    for (const doc of corpus) labelled.push(await addFile(forge, asText(doc.name), doc.text));

    for (const [i, doc] of corpus.entries()) {
      const file = labelled[i] as FileRecord;
      const c = await forge.sorter.correct('default', file.id, doc.category, 'user_1');
      expect(c).toMatchObject({
        status: 'decided',
        category: doc.category,
        decidedBy: { kind: 'person', userId: 'user_1' },
      });
      const model = await forge.sorter.model();
      if (i + 1 < RETRAIN_EVERY) expect(model).toBeNull();
      else if (i + 1 < 2 * RETRAIN_EVERY)
        expect(model).toMatchObject({ labelCount: RETRAIN_EVERY, newLabels: i + 1 - RETRAIN_EVERY });
    }
    expect(await forge.sorter.model()).toMatchObject({ labelCount: 2 * RETRAIN_EVERY, newLabels: 0 });
    // The pipeline classified each file once (no model yet: unclassified), then each correction.
    expect(classified.filter((c) => c.endsWith(':unclassified'))).toHaveLength(corpus.length);
    expect(classified.filter((c) => c.endsWith(':decided'))).toHaveLength(corpus.length);

    // A clear held-out document: the model decides, with score and threshold in the explanation.
    const clear = generateCorpus({ perCategory: 1, seed: 99 }).find((d) => d.category === 'recipes');
    const recipe = await addFile(forge, asText(clear?.name ?? 'r'), clear?.text ?? '');
    const decided = await forge.sorter.classifyFile('default', recipe.id);
    expect(decided).toMatchObject({ status: 'decided', category: 'recipes', decidedBy: { kind: 'model' } });
    expect(decided.decidedBy?.score).toBeGreaterThanOrEqual(decided.decidedBy?.threshold ?? 1);
    expect(decided.explanation.model).toMatchObject({ category: 'recipes' });

    // Almost no content: the model is unsure, the file waits for review instead of a guess.
    const [blank] = nearlyEmpty(5, 1);
    const unsure = await addFile(forge, 'scan0001.txt', blank?.text ?? 'page 1');
    const review = await forge.sorter.classifyFile('default', unsure.id);
    expect(review).toMatchObject({ status: 'review', category: null });
    expect(review.explanation.summary).toMatch(/review/);
    expect((await forge.sorter.review()).items.map((f) => f.id)).toEqual([unsure.id]);
    expect((await forge.files.list({ classificationStatus: 'review' })).items.map((f) => f.id)).toEqual([
      unsure.id,
    ]);

    // A person settles it: out of the queue, and classifying again keeps the person's category.
    await forge.sorter.correct('default', unsure.id, 'invoices', 'user_2');
    expect((await forge.sorter.review()).items).toEqual([]);
    expect(await forge.sorter.classifyFile('default', unsure.id)).toMatchObject({
      status: 'decided',
      category: 'invoices',
      decidedBy: { kind: 'person', userId: 'user_2' },
    });
    expect(await forge.sorter.classification('default', unsure.id)).toMatchObject({ category: 'invoices' });
    expect((await forge.files.list({ category: 'invoices' })).items.map((f) => f.id)).toContain(unsure.id);
  });
});
