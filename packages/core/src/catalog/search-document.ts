/**
 * What the full-text index holds for a file, and how a search box's words become a query.
 * Both engines index the same three fields, built here once: the display name, the extracted
 * text, and the metadata's words (document title and author, EXIF and media tags, archive
 * entry names, …). The sorted path is left out: the folder filter finds by place, and moves
 * then never leave the index behind.
 *
 * @module
 */
import type { FileRecord } from '../model/index.js';
import { extractedText } from '../sorter/subject.js';

/** The indexed fields of one file. */
export interface SearchDocument {
  name: string;
  body: string;
  meta: string;
}

/**
 * Characters of extracted text indexed per file. The start of a document is what people
 * search for, and PostgreSQL refuses a `tsvector` over 1 MB: a bound keeps every file indexable.
 */
export const MAX_INDEXED_TEXT_CHARS = 100_000;
/** Characters of metadata words indexed per file. */
const MAX_META_CHARS = 20_000;
/** Metadata strings longer than this are content, not fields (an excerpt, a base64 blob). */
const MAX_META_VALUE_CHARS = 500;
/** Metadata keys whose values are never words people search for. */
const SKIPPED_META_KEYS = /^(text|excerpt|sha256|phash|hash|blobKey|preview|thumbnail)$/i;
/** Snippet delimiters: control characters, which {@link clean} removes from indexed text. */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

/** Control characters (including the snippet delimiters) become spaces. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');

function metaWords(value: unknown, key: string, depth: number, out: string[], budget: { left: number }) {
  if (budget.left <= 0 || depth > 5 || SKIPPED_META_KEYS.test(key)) return;
  if (typeof value === 'string') {
    if (value.length === 0 || value.length > MAX_META_VALUE_CHARS) return;
    out.push(value);
    budget.left -= value.length + 1;
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 200)) metaWords(item, key, depth + 1, out, budget);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) metaWords(v, k, depth + 1, out, budget);
  }
}

/** The index entry of a record: its name, extracted text (capped) and metadata words. */
export function searchDocumentOf(record: Pick<FileRecord, 'name' | 'metadata'>): SearchDocument {
  const words: string[] = [];
  metaWords(record.metadata, '', 0, words, { left: MAX_META_CHARS });
  return {
    name: clean(record.name),
    body: clean(extractedText(record.metadata).slice(0, MAX_INDEXED_TEXT_CHARS)),
    meta: clean(words.join(' ').slice(0, MAX_META_CHARS)),
  };
}

/**
 * The words of a search box's text: letters and digits, lower-cased, at most 16 of 64
 * characters each. Everything else separates words, so no input can form query syntax.
 */
export function searchTerms(q: string): string[] {
  return q
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 16)
    .map((word) => word.slice(0, 64));
}

/** Words of a field as {@link searchTerms} cuts them: letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;
/** Words before the first match that an excerpt keeps. */
const WORDS_BEFORE = 3;
/**
 * How far into a field the excerpt looks for a word that matches only with its accents or
 * case folded (`cafe` for `Café`); a plain case-insensitive match is found anywhere.
 */
const MAX_FOLDED_SCAN_CHARS = 20_000;

/** A word as the index compares it: accents removed, lower case (FTS5 `remove_diacritics`). */
const fold = (word: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is its own fold
  /^[\u0000-\u007f]*$/.test(word)
    ? word.toLowerCase()
    : word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An excerpt of `text` (at most `maxWords` words) around its first word that matches a search
 * word — the last one also as the start of a word, as the search does — with every matching
 * word in it marked (`\u0002…\u0003`, for {@link parseMarkedSnippet}); null when no word of
 * `text` matches. Made here for both engines, not by FTS5's `snippet()` or `ts_headline`:
 * those read each file's whole text (up to 100,000 characters) for every page of results,
 * SQLite's on the event loop, which held a server for seconds.
 */
export function markedSnippet(text: string, terms: readonly string[], maxWords = 16): string | null {
  if (terms.length === 0 || text.length === 0) return null;
  const folded = terms.map(fold);
  const last = folded.length - 1;
  const matches = (word: string) => {
    const f = fold(word);
    return folded.some((t, i) => f === t || (i === last && f.startsWith(t)));
  };
  // The first match, found by the regular-expression engine when case alone differs.
  const alternatives = terms.map((t, i) => `${escapeRegExp(t)}${i === last ? '[\\p{L}\\p{N}]*' : ''}`);
  const direct = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'iu').exec(
    text,
  );
  let first = direct ? direct.index : -1;
  if (first < 0) {
    for (const m of text.slice(0, MAX_FOLDED_SCAN_CHARS).matchAll(WORD)) {
      if (matches(m[0])) {
        first = m.index;
        break;
      }
    }
  }
  if (first < 0) return null;
  // A few words before the match (from the start of the text when it is that close), then up
  // to `maxWords` in all.
  const offset = Math.max(0, first - 400);
  const starts = [...text.slice(offset, first).matchAll(WORD)].map((m) => offset + m.index);
  const from =
    starts.length > WORDS_BEFORE
      ? starts[starts.length - WORDS_BEFORE]!
      : offset === 0
        ? 0
        : (starts[0] ?? first);
  let out = from > 0 ? '…' : '';
  let at = from;
  let count = 0;
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    if (count === maxWords) {
      out += '…';
      break;
    }
    const hit = m.index >= first && matches(m[0]);
    out += text.slice(at, m.index) + (hit ? `${MATCH_START}${m[0]}${MATCH_END}` : m[0]);
    at = m.index + m[0].length;
    count++;
  }
  WORD.lastIndex = 0;
  return out;
}

/** Where a hit matched, and the matching text with its matched words located. */
export interface SearchMatch {
  /** `text` (extracted text), `metadata` (title, author, EXIF, …) or `name` (the display name). */
  field: 'text' | 'metadata' | 'name';
  /** A short excerpt around the match, as plain text. */
  snippet: string;
  /** The matched words in `snippet`, as `[start, end)` offsets in UTF-16 code units. */
  highlights: Array<{ start: number; end: number }>;
  /** Relevance: higher is better; comparable within one query's results only. */
  rank: number;
}

/** Splits an engine's marked snippet (`…a \u0002word\u0003 b…`) into text and highlight offsets. */
export function parseMarkedSnippet(marked: string): Pick<SearchMatch, 'snippet' | 'highlights'> | null {
  if (!marked.includes(MATCH_START)) return null;
  let snippet = '';
  const highlights: SearchMatch['highlights'] = [];
  let start = -1;
  for (const char of marked) {
    if (char === MATCH_START) start = snippet.length;
    else if (char === MATCH_END) {
      if (start >= 0 && snippet.length > start) highlights.push({ start, end: snippet.length });
      start = -1;
    } else snippet += char;
  }
  return { snippet: tidy(snippet, highlights), highlights };
}

/** Collapses runs of white space, moving the highlight offsets with the text. */
function tidy(text: string, highlights: SearchMatch['highlights']): string {
  let out = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const space = /\s/.test(ch);
    map[i] = out.length;
    if (space && (out.length === 0 || out.endsWith(' '))) continue;
    out += space ? ' ' : ch;
  }
  map[text.length] = out.length;
  for (const h of highlights) {
    h.start = map[h.start]!;
    h.end = map[h.end]!;
  }
  const trimmed = out.trimEnd();
  for (const h of highlights) h.end = Math.min(h.end, trimmed.length);
  return trimmed;
}
