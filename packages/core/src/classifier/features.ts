/**
 * Features of a file for the classifier: the words of its text, the words of its name
 * (prefixed `name:`), its MIME type (`mime:`) and coarse buckets of its size, page count and
 * text length (`meta:`). Buckets rather than raw numbers, so "a one-page PDF" is one feature
 * the model can learn.
 */
import { tokenize } from './tokenize.js';
import type { ClassifierSubject } from './types.js';

/** A file's features, split so the content rule can count text words alone. */
export interface Features {
  /** Text tokens in order of first appearance, each once. */
  text: string[];
  /** `name:`, `mime:` and `meta:` tokens, each once. */
  other: string[];
}

const bucket = (value: number, edges: readonly number[], labels: readonly string[]): string => {
  const i = edges.findIndex((edge) => value < edge);
  return labels[i === -1 ? labels.length - 1 : i]!;
};

/** Name without its extension, e.g. `minutes 2026-03-04` for `minutes 2026-03-04.docx`. */
const stem = (name: string) => name.replace(/\.[a-z0-9]{1,5}$/i, '');

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Page count from `metadata.pages`, or a document processor's `pdf.pageCount` / `office.pages`. */
function pageCount(metadata: Record<string, unknown>): number | undefined {
  if (isCount(metadata.pages)) return metadata.pages;
  for (const key of ['pdf', 'office', 'document']) {
    const entry = metadata[key] as Record<string, unknown> | null | undefined;
    if (typeof entry !== 'object' || entry === null) continue;
    if (isCount(entry.pageCount)) return entry.pageCount;
    if (isCount(entry.pages)) return entry.pages;
  }
  return undefined;
}

/**
 * Text read per document: the start of a document says what it is, and a bound here keeps
 * training and classifying a huge extracted text (a 10 MB log, a text processor configured
 * without a cap) from building millions of tokens and a vocabulary to match. Every file is
 * cut the same way, in training and in classifying.
 */
export const MAX_TEXT_CHARS = 200_000;
/** Text tokens read per document, for the same reason. */
export const MAX_TEXT_TOKENS = 20_000;

/**
 * The smallest subject with the same features as `subject`: the fields {@link extractFeatures}
 * reads, with its metadata cut to the page count. What a training worker is sent, so that a
 * file's other metadata (EXIF, archive listings, a copy of its text) is never copied between
 * threads.
 */
export function featureSubject(subject: ClassifierSubject): ClassifierSubject {
  const pages = pageCount(subject.metadata);
  return {
    name: subject.name,
    mime: subject.mime,
    size: subject.size,
    text: subject.text,
    metadata: pages === undefined ? {} : { pages },
  };
}

/** The features of `subject`; every token at most once (the model counts documents, not repeats). */
export function extractFeatures(subject: ClassifierSubject): Features {
  const text = subject.text.length > MAX_TEXT_CHARS ? subject.text.slice(0, MAX_TEXT_CHARS) : subject.text;
  const textTokens = tokenize(text, MAX_TEXT_TOKENS);
  const other = new Set<string>();
  for (const token of tokenize(stem(subject.name).slice(0, 1024), 64)) other.add(`name:${token}`);
  if (subject.mime) other.add(`mime:${subject.mime.toLowerCase()}`);
  other.add(
    `meta:size:${bucket(subject.size, [10_000, 100_000, 1_000_000], ['<10k', '<100k', '<1m', '>=1m'])}`,
  );
  const pages = pageCount(subject.metadata);
  if (pages !== undefined) {
    other.add(`meta:pages:${bucket(pages, [2, 4, 11], ['1', '2-3', '4-10', '11+'])}`);
  }
  const words = textTokens.length;
  other.add(`meta:words:${bucket(words, [1, 20, 100, 400], ['0', '<20', '<100', '<400', '>=400'])}`);
  return { text: [...new Set(textTokens)], other: [...other] };
}
