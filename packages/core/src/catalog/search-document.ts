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

/**
 * Separates a field's text (what excerpts show) from the words only the index reads (see
 * {@link searchDocumentOf}). A control character, so {@link clean} keeps it out of the text.
 */
export const INDEX_ONLY = '\u0001';
/**
 * Scripts written without spaces between words (Chinese, Japanese): the index cuts their runs
 * into overlapping pairs of characters, as Lucene's CJK analyzer does, since a run is a
 * clause, not a word. Hangul is written with spaces and stays as it is.
 */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30fc';
const HAS_CJK = new RegExp(`[${CJK}]`, 'u');
const CJK_CHAR = new RegExp(`^[${CJK}]$`, 'u');
/** A word's pieces: its runs of CJK characters and its runs of other letters and digits. */
const PIECES = new RegExp(`[${CJK}]+|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');
/** Pairs of CJK characters indexed per field: the start of a document is what people search for. */
const MAX_CJK_PAIRS = 20_000;

/** The overlapping pairs of a run of CJK characters (a single character stays as it is). */
function pairs(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  return chars.slice(1).map((c, i) => chars[i] + c);
}

/**
 * The index-only words of a field's text: for every word holding CJK characters, the pairs of
 * its CJK runs and its other runs as words of their own (`PDF文件` → `pdf`, `文件`); empty when
 * the text has none.
 */
function cjkIndexWords(text: string): string {
  if (!HAS_CJK.test(text)) return '';
  const out: string[] = [];
  for (const [word] of text.matchAll(WORD_RUNS)) {
    if (!HAS_CJK.test(word)) continue;
    for (const [piece] of word.matchAll(PIECES)) {
      if (HAS_CJK.test(piece)) out.push(...pairs(piece));
      else out.push(piece);
    }
    if (out.length >= MAX_CJK_PAIRS) break;
  }
  return out.slice(0, MAX_CJK_PAIRS).join(' ');
}

/** A field as the index stores it: its text, then its index-only words, if any. */
const indexed = (text: string) => {
  const words = cjkIndexWords(text);
  return words ? `${text}${INDEX_ONLY}${words}` : text;
};

/** The part of a stored field that is its text (excerpts are cut from it). */
export const shownText = (field: string) => {
  const end = field.indexOf(INDEX_ONLY);
  return end < 0 ? field : field.slice(0, end);
};

/** Runs of letters and digits, whatever their script. */
const WORD_RUNS = /[\p{L}\p{N}]+/gu;

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

/**
 * The index entry of a record: its name, extracted text (capped) and metadata words, each
 * followed by the pairs of its Chinese and Japanese characters when it has any (after
 * {@link INDEX_ONLY}; see {@link shownText}).
 */
export function searchDocumentOf(record: Pick<FileRecord, 'name' | 'metadata'>): SearchDocument {
  const words: string[] = [];
  metaWords(record.metadata, '', 0, words, { left: MAX_META_CHARS });
  return {
    name: indexed(clean(record.name)),
    body: indexed(clean(extractedText(record.metadata).slice(0, MAX_INDEXED_TEXT_CHARS))),
    meta: indexed(clean(words.join(' ').slice(0, MAX_META_CHARS))),
  };
}

/**
 * A stored field written before Chinese and Japanese text was cut into pairs, as it is
 * indexed now (migration `0012`); unchanged when it needs nothing.
 */
export function reindexedField(field: string): string {
  return field.includes(INDEX_ONLY) ? field : indexed(field);
}

/** A word the engines look up: exactly, or as the start of a word. */
export interface IndexTerm {
  word: string;
  prefix: boolean;
}

/** Words an engine query holds at most (a CJK term becomes one per pair). */
const MAX_INDEX_TERMS = 32;

/**
 * The words the engines look up for the {@link searchTerms} of a search box: each word as it
 * is, the last also as a prefix (search as you type); a word with Chinese or Japanese
 * characters as the pairs its CJK runs are indexed as (a single character as a prefix) and
 * its other runs as words.
 */
export function indexTerms(terms: readonly string[]): IndexTerm[] {
  const out: IndexTerm[] = [];
  terms.forEach((term, i) => {
    const last = i === terms.length - 1;
    if (!HAS_CJK.test(term)) {
      out.push({ word: term, prefix: last });
      return;
    }
    const pieces = [...term.matchAll(PIECES)].map(([piece]) => piece);
    pieces.forEach((piece, j) => {
      const lastPiece = last && j === pieces.length - 1;
      if (!HAS_CJK.test(piece)) out.push({ word: piece, prefix: lastPiece });
      else if ([...piece].length === 1) out.push({ word: piece, prefix: true });
      else for (const pair of pairs(piece)) out.push({ word: pair, prefix: false });
    });
  });
  return out.slice(0, MAX_INDEX_TERMS);
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

/**
 * Words of a field as excerpts count them: runs of letters and digits, each Chinese or Japanese
 * character a word of its own (it counts as half a word: a run of them is a clause).
 */
const WORD = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');
/** A letter or digit of a script written with spaces. */
const SPACED_LETTER = `(?:(?![${CJK}])[\\p{L}\\p{N}])`;
/** Words before the first match that an excerpt keeps. */
const WORDS_BEFORE = 3;
/** How much a {@link WORD} counts towards an excerpt's length: a CJK character half a word. */
const weight = (word: string) => (CJK_CHAR.test(word) ? 0.5 : 1);
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
 * An excerpt of a stored field's text (at most `maxWords` words) around its first word that
 * matches a search word — the last one also as the start of a word, as the search does; a
 * word with Chinese or Japanese characters wherever it occurs — with every match in it marked
 * (`\u0002…\u0003`, for {@link parseMarkedSnippet}); null when nothing in the text matches.
 * Made here for both engines, not by FTS5's `snippet()` or `ts_headline`: those read each
 * file's whole text (up to 100,000 characters) for every page of results, SQLite's on the
 * event loop, which held a server for seconds.
 */
export function markedSnippet(field: string, terms: readonly string[], maxWords = 16): string | null {
  const text = shownText(field);
  if (terms.length === 0 || text.length === 0) return null;
  const last = terms.length - 1;
  const spaced = terms.map((t, i) => ({ folded: fold(t), i })).filter(({ i }) => !HAS_CJK.test(terms[i]!));
  const matches = (word: string) => {
    const f = fold(word);
    return spaced.some(({ folded, i }) => f === folded || (i === last && f.startsWith(folded)));
  };
  // Words with CJK characters match anywhere, as their pairs are indexed (longest first).
  const cjk = terms.filter((t) => HAS_CJK.test(t)).sort((a, b) => b.length - a.length);
  const cjkAt = cjk.length > 0 ? new RegExp(cjk.map(escapeRegExp).join('|'), 'iuy') : null;
  const cjkMatchAt = (index: number) => {
    if (!cjkAt) return 0;
    cjkAt.lastIndex = index;
    return cjkAt.exec(text)?.[0].length ?? 0;
  };
  // The first match, found by the regular-expression engine when case alone differs.
  const alternatives = [
    ...spaced.map(
      ({ i }) =>
        `(?<!${SPACED_LETTER})${escapeRegExp(terms[i]!)}${i === last ? `${SPACED_LETTER}*` : ''}(?!${SPACED_LETTER})`,
    ),
    ...cjk.map(escapeRegExp),
  ];
  const direct = new RegExp(alternatives.join('|'), 'iu').exec(text);
  let first = direct ? direct.index : -1;
  if (first < 0 && spaced.length > 0) {
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
  const before = [...text.slice(offset, first).matchAll(WORD)];
  let from = offset === 0 ? 0 : before[0] ? offset + before[0].index : first;
  for (let i = before.length - 1, kept = 0; i >= 0; i--) {
    kept += weight(before[i]![0]);
    if (kept >= WORDS_BEFORE) {
      from = offset + before[i]!.index;
      break;
    }
  }
  let out = from > 0 ? '…' : '';
  let at = from;
  let count = 0;
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    if (count >= maxWords) {
      out += '…';
      break;
    }
    const length = m.index >= first ? cjkMatchAt(m.index) : 0;
    const end = m.index + (length || m[0].length);
    const hit = length > 0 || (m.index >= first && matches(m[0]));
    const word = text.slice(m.index, end);
    out += text.slice(at, m.index) + (hit ? `${MATCH_START}${word}${MATCH_END}` : word);
    at = end;
    WORD.lastIndex = end;
    count += CJK_CHAR.test(m[0]) ? weight(m[0]) * [...word].length : 1;
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
