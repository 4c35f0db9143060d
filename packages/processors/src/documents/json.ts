import type { FileRecord, Processor, ProcessorFile } from '@fileforge/core';
import { checkInteger } from '../options/check.js';
import type { TextEncoding } from '../text-decoder.js';
import { planTextReading } from '../text-encoding.js';
import {
  type JsonScanLimits,
  JsonScanner,
  type JsonShape,
  type JsonType,
  nestingBeyond,
} from './json-scan.js';
import { decodeChunks, NotUtf8Error } from './text-chunks.js';

/** Options for {@link createJsonProcessor}. */
export interface JsonProcessorOptions {
  /**
   * Deepest nesting of arrays and objects accepted; deeper documents are processed with
   * `valid: false, error: 'depth limit'` (they break recursive consumers downstream).
   * @default 256
   */
  maxDepth?: number;
  /** Top-level keys of an object listed in `keys` (the first distinct ones). @default 100 */
  maxKeys?: number;
  /**
   * Files up to this many bytes are parsed whole with `JSON.parse` (fast); larger ones are
   * scanned as a stream with constant memory.
   * @default 1048576 (1 MiB)
   */
  streamThreshold?: number;
}

/** What the JSON processor stores under `metadata.json`. */
export type JsonMetadata = JsonShape & {
  /** `utf-8`, `utf-8-bom`, `utf-16le`/`be` (with a BOM); `null` when not UTF text. */
  encoding: TextEncoding | null;
  /** Scanned as a stream (over `streamThreshold`) rather than parsed whole. */
  streamed: boolean;
};

export type { JsonShape, JsonType };

const JSON_EXTS = new Set(['json', 'ndjson', 'jsonl']);
const LINE_EXTS = new Set(['ndjson', 'jsonl']);
const LINE_MIMES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl']);
const JSON_MIME = /^application\/([a-z0-9.+-]+\+)?json$/;

const nameExt = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? null;

/** Newline-delimited JSON by name (`.ndjson`, `.jsonl`) or declared type. */
const isJsonLines = (record: FileRecord) =>
  record.mime === 'application/x-ndjson' ||
  LINE_EXTS.has(nameExt(record.name) ?? '') ||
  LINE_MIMES.has(record.declaredMime ?? '');

/** What ingest records a `.json` / `.ndjson` / `.jsonl` whose bytes are text as. */
const DETECTED_JSON = new Set(['application/json', 'application/x-ndjson']);

/**
 * Whether a record is JSON: ingest records a text file named `.json` as `application/json`
 * and `.ndjson` / `.jsonl` as `application/x-ndjson`. For text recorded as `text/plain`
 * (other names, or files stored before) the name or the declared type (`application/json`,
 * `application/*+json`, NDJSON types) decides. Content is not sniffed here: `accepts` sees
 * only the record.
 */
export function isJsonRecord(record: FileRecord): boolean {
  if (DETECTED_JSON.has(record.mime)) return true;
  if (record.mime !== 'text/plain') return false;
  const declared = record.declaredMime ?? '';
  return JSON_EXTS.has(nameExt(record.name) ?? '') || JSON_MIME.test(declared) || LINE_MIMES.has(declared);
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** A whole small document: depth checked by a scan first, then `JSON.parse`. */
function parseWhole(text: string, limits: JsonScanLimits): JsonShape {
  const deep = nestingBeyond(text, limits.maxDepth);
  if (deep !== null) return { valid: false, error: 'depth limit', position: deep };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's messages carry no reliable position: the scanner finds it.
    const scanner = new JsonScanner(limits);
    scanner.write(text);
    const shape = scanner.end();
    return shape.valid ? { valid: false, error: 'invalid JSON' } : shape;
  }
  const type = typeOf(value);
  if (type === 'array') {
    const items = value as unknown[];
    return { valid: true, type, length: items.length, elementTypes: [...new Set(items.map(typeOf))] };
  }
  if (type === 'object') {
    const keys = Object.keys(value as object);
    return { valid: true, type, keys: keys.slice(0, limits.maxKeys), keyCount: keys.length };
  }
  return { valid: true, type };
}

async function analyse(
  file: ProcessorFile,
  limits: JsonScanLimits & { streamThreshold: number },
  signal: AbortSignal,
): Promise<JsonMetadata> {
  const lines = isJsonLines(file.record);
  const streamed = lines || file.record.size > limits.streamThreshold;
  // JSON is UTF-8, -16 or -32 (RFC 8259): UTF-16/32 with or without a BOM is read as such.
  const { first } = await planTextReading(file, signal);
  const decoded = decodeChunks(await file.open(), first);
  try {
    if (!streamed) {
      const parts: string[] = [];
      for await (const text of decoded.chunks) parts.push(text);
      return { ...parseWhole(parts.join(''), limits), encoding: decoded.encoding(), streamed };
    }
    const scanner = new JsonScanner(limits, lines);
    for await (const text of decoded.chunks) {
      signal.throwIfAborted();
      if (!scanner.write(text)) break; // leaving the loop closes the file
    }
    return { ...scanner.end(), encoding: decoded.encoding(), streamed };
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
    return { valid: false, error: 'not UTF-8 text', encoding: null, streamed };
  }
}

/**
 * Creates the `json` processor for JSON and NDJSON files (see {@link isJsonRecord}). It checks
 * validity and describes the top level: its type, an object's first keys and member count, an
 * array's length and element types, or the records of NDJSON. Files up to `streamThreshold` are
 * parsed with `JSON.parse`; larger ones and NDJSON are scanned as a stream with constant memory.
 * Invalid JSON, nesting beyond `maxDepth` and non-UTF text are processed with `valid: false`,
 * the `error` and its byte `position` — never rejected: they are bad data, not hostile files.
 *
 * @example
 * ```ts
 * import { createJsonProcessor } from '@fileforge/processors/documents';
 * const forge = await createForge({ processors: [createJsonProcessor({ maxDepth: 64 })] });
 * // later: (await forge.files.get(id))?.metadata.json → { valid: true, type: 'object', keys: ['id', 'items'], … }
 * ```
 */
export function createJsonProcessor(options: JsonProcessorOptions = {}): Processor {
  const limits = {
    maxDepth: checkInteger('json', 'maxDepth', options.maxDepth ?? 256, 1),
    maxKeys: checkInteger('json', 'maxKeys', options.maxKeys ?? 100, 0),
    streamThreshold: checkInteger('json', 'streamThreshold', options.streamThreshold ?? 1024 * 1024, 0),
  };
  return {
    name: 'json',
    accepts: isJsonRecord,
    support: {
      formats: 'JSON and NDJSON/JSON Lines (`.json`, `.ndjson`, `.jsonl` or a declared JSON type)',
      extracts: [
        'valid, error, position (byte offset)',
        'type (object, array, string, number, boolean, null, ndjson)',
        `keys (first ${limits.maxKeys}) and keyCount of an object`,
        'length and elementTypes of an array (records of NDJSON)',
        'encoding, streamed',
      ],
      limits: [`nesting deeper than ${limits.maxDepth} → valid: false, error: 'depth limit' (not rejected)`],
    },
    async extractMetadata(file, context): Promise<JsonMetadata> {
      return analyse(file, limits, context.signal);
    },
  };
}
