import { type FileRecord, type Processor, parseRules, RETRAIN_EVERY } from '@fileforge/core';
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

  it('counts every label as it is given: deleting labelled files hides none, corrections count, one training at a time', {
    timeout: 120_000,
  }, async () => {
    const trainings: unknown[] = [];
    const quiet = () => {};
    const forge = await newForge({
      logger: {
        debug: quiet,
        warn: quiet,
        error: quiet,
        info: (obj, msg) => {
          if (msg?.startsWith('classifier trained')) trainings.push(obj);
        },
      },
    });
    const corpus = generateCorpus({ perCategory: 8, seed: 12 });
    const files: FileRecord[] = [];
    for (const doc of corpus) files.push(await addFile(forge, asText(doc.name), doc.text));
    const label = (i: number, category = corpus[i]!.category) =>
      forge.sorter.correct('default', files[i]!.id, category, 'user_1');
    for (let i = 0; i < RETRAIN_EVERY; i++) await label(i);
    expect(await forge.sorter.model()).toMatchObject({ labelCount: RETRAIN_EVERY, newLabels: 0 });

    // Labelled files deleted, then new labels: the new ones still count.
    for (let i = 0; i < 5; i++) await forge.files.delete(files[i]!.id);
    for (let i = RETRAIN_EVERY; i < RETRAIN_EVERY + 10; i++) await label(i);
    expect(await forge.sorter.model()).toMatchObject({ newLabels: 10 });
    // Corrections of labels already given count too: a person fixing mistakes retrains the model.
    for (let i = 5; i < 15; i++) await label(i, corpus[(i + 8) % corpus.length]!.category);
    const retrained = await forge.sorter.model();
    expect(retrained).toMatchObject({ labelCount: RETRAIN_EVERY + 5, newLabels: 0 });

    // Labels arriving at once trigger one training, not one each.
    trainings.length = 0;
    const before = (await forge.sorter.model())!.trainedAt;
    for (let i = 15; i < 15 + RETRAIN_EVERY - 5; i++) await label(i);
    await Promise.all(Array.from({ length: 5 }, (_, k) => label(15 + RETRAIN_EVERY - 5 + k)));
    const after = await forge.sorter.model();
    expect(after!.trainedAt > before).toBe(true);
    expect(trainings).toHaveLength(1);
    expect(after!.newLabels).toBeLessThan(5);
  });

  it("keeps a person's label given while the file is being classified", async () => {
    const forge = await newForge();
    const corpus = generateCorpus({ perCategory: 3, seed: 5 });
    for (const doc of corpus.slice(0, 10)) {
      const f = await addFile(forge, asText(doc.name), doc.text);
      await forge.sorter.correct('default', f.id, doc.category, 'user_1');
    }
    await forge.sorter.train();
    const [blank] = nearlyEmpty(5, 2);
    const file = await addFile(forge, 'scan0002.txt', blank?.text ?? 'page 2');
    const [machine, person] = await Promise.all([
      forge.sorter.classifyFile('default', file.id),
      forge.sorter.correct('default', file.id, 'invoices', 'alice'),
    ]);
    expect(person).toMatchObject({ status: 'decided', category: 'invoices' });
    expect(machine).toMatchObject({ category: 'invoices', decidedBy: { kind: 'person', userId: 'alice' } });
    expect(await forge.sorter.classification('default', file.id)).toMatchObject({
      status: 'decided',
      category: 'invoices',
      decidedBy: { kind: 'person', userId: 'alice' },
    });
    expect((await forge.sorter.review()).items).toEqual([]);
  });

  it('takes a category typed composed or decomposed as one category', async () => {
    const forge = await newForge();
    const [a, b] = generateCorpus({ perCategory: 1, seed: 8 });
    const first = await addFile(forge, asText(a?.name ?? 'a'), a?.text ?? 'a');
    const second = await addFile(forge, asText(b?.name ?? 'b'), b?.text ?? 'b');
    await forge.sorter.correct('default', first.id, 'caf\u00e9', 'user_1');
    const nfd = await forge.sorter.correct('default', second.id, 'cafe\u0301', 'user_1');
    expect(nfd.category).toBe('caf\u00e9');
    expect((await forge.files.list({ category: 'caf\u00e9' })).items).toHaveLength(2);
    // A rule naming it decomposed names the same category.
    const [rule] = parseRules(
      JSON.stringify([{ id: 'cafes', category: ' cafe\u0301 ', destination: 'food/{name}{ext}' }]),
    );
    expect(rule?.category).toBe('caf\u00e9');
  });

  it('refuses a category with control or invisible characters (a NUL no PostgreSQL column takes)', async () => {
    const forge = await newForge();
    const file = await addFile(forge, 'a.txt', 'an invoice');
    for (const category of ['in\u0000voices', 'in\nvoices', 'in\u200Bvoices', '   ']) {
      await expect(forge.sorter.correct('default', file.id, category, 'user_1')).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
    expect(() =>
      parseRules(JSON.stringify([{ id: 'r', category: 'a\u0000b', destination: 'x/{name}' }])),
    ).toThrow(/control or invisible/);
    expect((await forge.files.get(file.id))?.category).toBeNull();
  });

  it('overlapping trainings take no label off twice: every label is in the model or still counted', {
    timeout: 120_000,
  }, async () => {
    const forge = await newForge();
    const corpus = generateCorpus({ perCategory: 6, seed: 21 });
    const files: FileRecord[] = [];
    for (const doc of corpus.slice(0, RETRAIN_EVERY + 5))
      files.push(await addFile(forge, asText(doc.name), doc.text));
    const label = (i: number) => forge.sorter.correct('default', files[i]!.id, corpus[i]!.category, 'user_1');
    for (let i = 0; i < RETRAIN_EVERY + 3; i++) await label(i);
    expect(await forge.sorter.model()).toMatchObject({ labelCount: RETRAIN_EVERY, newLabels: 3 });
    // "Retrain now" twice (two instances, or a click during an automatic retraining) while
    // two more labels come in.
    await Promise.all([
      forge.sorter.train(),
      forge.sorter.train(),
      label(RETRAIN_EVERY + 3),
      label(RETRAIN_EVERY + 4),
    ]);
    const model = await forge.sorter.model();
    expect(model!.labelCount + model!.newLabels).toBeGreaterThanOrEqual(RETRAIN_EVERY + 5);
  });

  it('close() waits for a training running on its thread: the model is stored, not lost', {
    timeout: 120_000,
  }, async () => {
    const forge = await newForge();
    // Enough labels to train on a worker thread (below 50 it trains in-process).
    const corpus = generateCorpus({ perCategory: 12, seed: 31 });
    for (const doc of corpus) {
      const file = await addFile(forge, asText(doc.name), doc.text);
      await forge.sorter.correct('default', file.id, doc.category, 'user_1', { retrain: false });
    }
    let settled = false;
    const training = forge.sorter.train().finally(() => {
      settled = true;
    });
    await forge.close();
    expect(settled).toBe(true);
    // Resolved only once the model was stored, which a closed catalog would refuse.
    expect((await training).categories).toHaveLength(5);
  });

  it('removes the model once its labels span fewer than two categories: files are unclassified, not filed into a category no label has', async () => {
    const forge = await newForge();
    const corpus = generateCorpus({ perCategory: 3, seed: 9 });
    const files: FileRecord[] = [];
    for (const doc of corpus) {
      const f = await addFile(forge, asText(doc.name), doc.text);
      files.push(f);
      await forge.sorter.correct('default', f.id, doc.category, 'user_1');
    }
    await forge.sorter.train();
    expect(await forge.sorter.model()).not.toBeNull();
    // Every category but one corrected away.
    for (const f of files) await forge.sorter.correct('default', f.id, 'invoices', 'user_1');
    await expect(forge.sorter.train()).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await forge.sorter.model()).toBeNull();
    const [doc] = generateCorpus({ perCategory: 1, seed: 30 }).filter((d) => d.category !== 'invoices');
    const fresh = await addFile(forge, asText(doc?.name ?? 'x'), doc?.text ?? 'x');
    expect(await forge.sorter.classifyFile('default', fresh.id)).toMatchObject({
      status: 'unclassified',
      category: null,
    });
  });
});
