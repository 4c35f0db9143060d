/**
 * A generated labelled corpus for the learned classifier's tests and bench: five everyday
 * categories a person separates at a glance (invoices, contracts, CVs, meeting minutes,
 * recipes), built from a seeded PRNG so a seed always gives the same documents. Lengths,
 * headings and file names vary; office noise and borrowed words are shared across
 * categories, and many file names (`scan0012.pdf`, `document (3).pdf`) say nothing.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { contract, type Draft, invoice } from './corpus-business.js';
import { cv, minutes, recipe } from './corpus-personal.js';
import { createRng, pad, type Rng } from './corpus-random.js';

/** The five categories, in the order documents are generated. */
export const CORPUS_CATEGORIES = ['invoices', 'contracts', 'cvs', 'minutes', 'recipes'] as const;
export type CorpusCategory = (typeof CORPUS_CATEGORIES)[number];

/** One generated document and the category a person would give it. */
export interface CorpusDocument {
  /** A realistic file name, e.g. `INV-2026-0042.pdf`, `minutes 2026-03-04.docx`, `scan0007.pdf`. */
  name: string;
  /** The extracted text. */
  text: string;
  category: CorpusCategory;
}

export interface CorpusOptions {
  /** Documents of each category. */
  perCategory: number;
  /** Same seed, same documents. */
  seed: number;
}

const BUILDERS: Record<CorpusCategory, (r: Rng, serial: number) => Draft> = {
  invoices: invoice,
  contracts: contract,
  cvs: cv,
  minutes,
  recipes: recipe,
};

/**
 * `perCategory` documents of each category, interleaved (invoice, contract, CV, minutes,
 * recipe, invoice, …).
 *
 * @example
 * const train = generateCorpus({ perCategory: 30, seed: 1 });
 * const heldOut = generateCorpus({ perCategory: 40, seed: 2 });
 */
export function generateCorpus({ perCategory, seed }: CorpusOptions): CorpusDocument[] {
  const r = createRng(seed);
  const out: CorpusDocument[] = [];
  for (let i = 0; i < perCategory; i++) {
    for (const category of CORPUS_CATEGORIES) {
      out.push({ ...BUILDERS[category](r, i + 1), category });
    }
  }
  return out;
}

/**
 * Documents with almost no content — a blank scan, a cover page — that no one (and no
 * classifier) can file from their text. `category` is what the paper was (a person holding
 * it would know); nothing in `name` or `text` shows it.
 */
export function nearlyEmpty(seed: number, n: number): CorpusDocument[] {
  const r = createRng(seed ^ 0x5eed);
  const texts = ['', '', 'Page 1', ' ', '1', 'Page 1 of 1', '-', 'Scanned', '\n\n', 'p. 2'];
  return Array.from({ length: n }, (_, i) => ({
    name: r.pick([
      `scan${pad(i + 1, 4)}.pdf`,
      `IMG_${r.int(1000, 9999)}.pdf`,
      `Document${r.int(1, 9)}.docx`,
      `Untitled (${r.int(1, 9)}).pdf`,
    ]),
    text: r.pick(texts),
    category: r.pick(CORPUS_CATEGORIES),
  }));
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
};

/**
 * The fields the sorter looks at (a `SortSubject` of `@fileforge/core`), made up for a corpus
 * document: ext and MIME type from its name, a size and a page count in proportion to its
 * text, the hash of its text, a fixed creation date.
 */
export function corpusSubject(doc: Pick<CorpusDocument, 'name' | 'text'>, index: number) {
  const ext = /\.([a-z0-9]+)$/i.exec(doc.name)?.[1]?.toLowerCase() ?? '';
  const words = doc.text.split(/\s+/).filter(Boolean).length;
  const pages = ext === 'txt' ? undefined : Math.max(1, Math.ceil(words / 350));
  return {
    id: `doc-${pad(index, 5)}`,
    name: doc.name,
    ext,
    mime: MIME[ext] ?? 'application/octet-stream',
    size: Buffer.byteLength(doc.text) * (ext === 'txt' ? 1 : 4) + (ext === 'txt' ? 0 : 12_000),
    sha256: createHash('sha256').update(doc.text).digest('hex'),
    createdAt: '2026-01-01T00:00:00.000Z',
    uploadedBy: null,
    source: 'upload',
    text: doc.text,
    metadata: pages === undefined ? {} : { pages },
    category: null,
  };
}
