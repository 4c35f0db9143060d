import type { SortSubject } from './subject.js';

/** Where a template that cannot render sends a file. */
export const FALLBACK_TEMPLATE = 'unsorted/{name}{ext}';

/** Longest path segment most filesystems accept, in UTF-8 bytes. */
const MAX_SEGMENT_BYTES = 255;

const SIMPLE = new Set(['name', 'ext', 'category', 'mime', 'size', 'sha256', 'id', 'source', 'uploadedBy']);
const DATE_TOKENS = /YYYY|YY|MM|DD|HH|mm|ss/g;
// Characters no file name may hold on some platform; `/` and `\` would split segments.
const ILLEGAL_IN_VALUE = /[/\\:*?"<>|\p{Cc}]/gu;
const ILLEGAL_IN_LITERAL = /[:*?"<>|\p{Cc}]/gu;
/** {@link ILLEGAL_IN_LITERAL} for a test (no `g`: no state between calls). */
const ILLEGAL_CHARACTER = new RegExp(ILLEGAL_IN_LITERAL.source, 'u');
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[\d¹²³]|lpt[\d¹²³])(\.|$)/i;

type Piece = { kind: 'literal'; text: string } | { kind: 'placeholder'; name: string; format: string | null };

/** Splits a template into literal text and placeholders; `{{` and `}}` are literal braces. */
function tokenize(template: string): Piece[] | string {
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      literal += ch;
      i++;
    } else if (ch === '}') {
      return `Unbalanced "}" at position ${i + 1}`;
    } else if (ch === '{') {
      const close = template.indexOf('}', i);
      const open = template.indexOf('{', i + 1);
      if (close === -1 || (open !== -1 && open < close)) return `Unbalanced "{" at position ${i + 1}`;
      const body = template.slice(i + 1, close);
      const colon = body.indexOf(':');
      const name = colon === -1 ? body : body.slice(0, colon);
      const format = colon === -1 ? null : body.slice(colon + 1);
      if (literal !== '') pieces.push({ kind: 'literal', text: literal });
      literal = '';
      pieces.push({ kind: 'placeholder', name, format });
      i = close;
    } else {
      literal += ch;
    }
  }
  if (literal !== '') pieces.push({ kind: 'literal', text: literal });
  return pieces;
}

function placeholderProblem(piece: Piece & { kind: 'placeholder' }): string | null {
  const { name, format } = piece;
  if (name === 'created' || name === 'now') return format === '' ? `{${name}:} needs a date format` : null;
  if (format !== null) return `{${name}} takes no format`;
  if (SIMPLE.has(name) || /^metadata(\.[^.\s]+)+$/.test(name)) return null;
  return `Unknown placeholder {${name}}`;
}

/** Parsed templates kept, by text; the oldest dropped past this. */
const PARSED_KEPT = 256;
const parsedTemplates = new Map<string, { pieces: Piece[] | string; problem: string | null }>();

/** A template's pieces and problem, worked out once per text: a run renders one per file. */
function parsed(template: string): { pieces: Piece[] | string; problem: string | null } {
  let found = parsedTemplates.get(template);
  if (!found) {
    const pieces = tokenize(template);
    found = { pieces, problem: typeof pieces === 'string' ? pieces : templateProblem(template) };
    if (parsedTemplates.size >= PARSED_KEPT)
      parsedTemplates.delete(parsedTemplates.keys().next().value as string);
    parsedTemplates.set(template, found);
  }
  return found;
}

/**
 * Checks a destination template without rendering it.
 *
 * @returns why it cannot render (unbalanced brace, unknown placeholder), or `null` when it is fine
 */
export function templateProblem(template: string): string | null {
  const pieces = tokenize(template);
  if (typeof pieces === 'string') return pieces;
  for (const piece of pieces) {
    if (piece.kind === 'placeholder') {
      const problem = placeholderProblem(piece);
      if (problem) return problem;
    }
  }
  return null;
}

function formatDate(ms: number, format: string): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const parts: Record<string, string> = {
    YYYY: pad(d.getUTCFullYear(), 4),
    YY: pad(d.getUTCFullYear() % 100),
    MM: pad(d.getUTCMonth() + 1),
    DD: pad(d.getUTCDate()),
    HH: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
  };
  return format.replace(DATE_TOKENS, (token) => parts[token] ?? token);
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (Array.isArray(value)) return value.map(stringify).join(',');
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function lookup(root: unknown, path: string[]): unknown {
  let at = root;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * The display name without its extension (`report.final.pdf` → `report.final`). Names may
 * hold line breaks (POSIX allows every byte but `/` and NUL): `.` must match them too.
 */
export function nameStem(name: string): string {
  const found = /^(.+)\.[\p{L}\p{N}]{1,10}$/su.exec(name);
  return found?.[1] ?? name;
}

function placeholderValue(
  piece: Piece & { kind: 'placeholder' },
  subject: SortSubject,
  now: () => number,
): string {
  switch (piece.name) {
    case 'name':
      return nameStem(subject.name);
    case 'ext': {
      const ext = subject.nameExt ?? subject.ext;
      return ext === '' ? '' : `.${ext}`;
    }
    case 'created':
      return formatDate(Date.parse(subject.createdAt), piece.format ?? 'YYYY-MM-DD');
    case 'now':
      return formatDate(now(), piece.format ?? 'YYYY-MM-DD');
    case 'category':
      return stringify(subject.category);
    case 'mime':
    case 'size':
    case 'sha256':
    case 'id':
    case 'source':
    case 'uploadedBy':
      return stringify(subject[piece.name]);
    default:
      return stringify(lookup(subject.metadata, piece.name.split('.').slice(1)));
  }
}

/**
 * `stem + tail` as one path segment of at most 255 UTF-8 bytes (the limit of every common file
 * system): `tail` (an extension, a number and an extension) stays whole and `stem` is cut,
 * whole code points only.
 */
export function fitName(stem: string, tail = ''): string {
  if (Buffer.byteLength(stem) + Buffer.byteLength(tail) <= MAX_SEGMENT_BYTES) return stem + tail;
  const budget = MAX_SEGMENT_BYTES - Buffer.byteLength(tail);
  let out = '';
  let bytes = 0;
  for (const ch of stem) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > budget) break;
    out += ch;
    bytes += size;
  }
  return out + tail;
}

/** Cuts a segment to {@link MAX_SEGMENT_BYTES} UTF-8 bytes, keeping a short extension. */
function fitSegment(segment: string): string {
  const ext = /\.[\p{L}\p{N}]{1,16}$/u.exec(segment)?.[0] ?? '';
  return fitName(segment.slice(0, segment.length - ext.length), ext);
}

/**
 * Whether `segment`, written literally in a destination, reaches the sorted tree unchanged: not
 * empty or dots only, no surrounding spaces, none of the characters rendering replaces
 * (`\ : * ? " < > |`, control characters), no device name (`CON`, `LPT1`, …), at most 255 bytes.
 * For callers that must know the exact folder a move lands in (a bulk move into a named folder).
 */
export function isKeptSegment(segment: string): boolean {
  return (
    segment !== '' &&
    !/^\.+$/.test(segment) &&
    segment === segment.trim() &&
    !segment.includes('\\') &&
    !ILLEGAL_CHARACTER.test(segment) &&
    !RESERVED.test(segment) &&
    Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES
  );
}

/** Makes each segment safe: no empty, `.` or `..` segments, no reserved device names, bounded length. */
function safeSegments(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split('/')) {
    const segment = raw.trim();
    if (segment === '' || segment === '.') continue;
    let safe = /^\.+$/.test(segment) ? '-'.repeat(segment.length) : segment;
    if (RESERVED.test(safe)) safe = `_${safe}`;
    out.push(fitSegment(safe));
  }
  return out;
}

/** Options for {@link renderDestination}. */
export interface RenderOptions {
  /** Clock for `{now:…}`. @default Date.now */
  now?: () => number;
}

function render(pieces: Piece[], subject: SortSubject, now: () => number): string {
  let out = '';
  for (const piece of pieces) {
    if (piece.kind === 'literal') {
      out += piece.text.replace(/\\/g, '/').replace(ILLEGAL_IN_LITERAL, '-');
      continue;
    }
    const value = placeholderValue(piece, subject, now).replace(ILLEGAL_IN_VALUE, '-');
    out += value.trim() === '' && piece.name !== 'ext' ? 'none' : value;
  }
  return safeSegments(out).join('/');
}

/**
 * Renders a destination template for a file: a relative POSIX path under the sorted folder
 * that can never escape it.
 *
 * Placeholders: `{name}` (display name without extension), `{ext}` (the name's own extension when it fits the detected type, else the detected extension, with
 * its dot, `''` if none), `{category}`, `{mime}`, `{size}`, `{sha256}`, `{id}`, `{source}`,
 * `{uploadedBy}`, `{created:YYYY}` / `{created:MM}` / `{created:DD}` / `{created:YYYY-MM-DD}`
 * (tokens `YYYY YY MM DD HH mm ss`, UTC), `{now:…}`, `{metadata.a.b}`; `{{` and `}}` are
 * literal braces. Inside a placeholder value, characters illegal in file names
 * (`/ \ : * ? " < > |`, control characters) become `-`; an empty value renders `none`.
 * Then empty and `.` segments are dropped (so a leading `/` cannot make the path absolute),
 * all-dot segments become dashes, drive letters lose their colon, device names (`CON`, `NUL`…)
 * get a `_` prefix, and long segments are cut to 255 bytes.
 *
 * A template that cannot render (unknown placeholder, unbalanced brace, nothing left) falls
 * back to `unsorted/{name}{ext}` with a warning.
 *
 * @example
 * ```ts
 * renderDestination('invoices/{created:YYYY}/{name}{ext}', subject).path // 'invoices/2024/acme.pdf'
 * ```
 */
export function renderDestination(
  template: string,
  subject: SortSubject,
  options: RenderOptions = {},
): { path: string; warnings: string[] } {
  const now = options.now ?? Date.now;
  const { pieces, problem } = parsed(template);
  if (problem === null && typeof pieces !== 'string') {
    const path = render(pieces, subject, now);
    if (path !== '') return { path, warnings: [] };
  }
  const why = problem ?? 'it renders an empty path';
  const fallback = render(tokenize(FALLBACK_TEMPLATE) as Piece[], subject, now);
  return {
    path: fallback,
    warnings: [
      `[fileforge:sorter] Destination template "${template}" cannot render (${why}); using ${fallback}`,
    ],
  };
}
