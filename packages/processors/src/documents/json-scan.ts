import { type ParsedTokenInfo, Tokenizer, TokenizerError, TokenType } from '@streamparser/json';

/** A JSON value's type as reported in metadata. */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** What a scan found: the shape of the top level, or why the text is not (acceptable) JSON. */
export type JsonShape =
  | {
      valid: true;
      type: JsonType | 'ndjson';
      /** Object: the first distinct keys, and how many members it has (duplicates counted). */
      keys?: string[];
      keyCount?: number;
      /** Array: its elements; NDJSON: its records. */
      length?: number;
      /** Array or NDJSON: the distinct types of the elements, in order of first appearance. */
      elementTypes?: JsonType[];
    }
  | {
      valid: false;
      /** The parser's complaint, `depth limit`, `empty document` or `not UTF-8 text`. */
      error: string;
      /** Byte offset (0-based, in UTF-8) where the problem was found. */
      position?: number;
    };

/** Limits of a scan. */
export interface JsonScanLimits {
  maxDepth: number;
  maxKeys: number;
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const VALUE_TYPES: Partial<Record<TokenType, JsonType>> = {
  [TokenType.LEFT_BRACE]: 'object',
  [TokenType.LEFT_BRACKET]: 'array',
  [TokenType.STRING]: 'string',
  [TokenType.NUMBER]: 'number',
  [TokenType.TRUE]: 'boolean',
  [TokenType.FALSE]: 'boolean',
  [TokenType.NULL]: 'null',
};

/** What the grammar expects next. */
type Expect = 'value' | 'key' | 'colon' | 'comma' | 'end';

/**
 * Scans JSON text chunk by chunk: @streamparser/json's tokenizer splits it into tokens, and a
 * small grammar check here validates them while keeping only the stack of open containers,
 * never a value, so memory stays flat (one string token at most). It records the top level's
 * shape: an object's keys, an array's length and element types, or, with `lines`, the records
 * of newline-delimited JSON. Nesting deeper than `maxDepth` stops the scan (`depth limit`), so a
 * `[[[[…` bomb costs neither stack nor heap.
 */
export class JsonScanner {
  readonly #limits: JsonScanLimits;
  readonly #lines: boolean;
  readonly #tokenizer: Tokenizer;
  /** Open containers, innermost last; `true` for an object. */
  readonly #open: boolean[] = [];
  #expect: Expect = 'value';
  /** A `]` or `}` may close the container just opened. */
  #canClose = false;
  #root: JsonType | undefined;
  #roots = 0;
  readonly #keys = new Set<string>();
  #keyCount = 0;
  #length = 0;
  readonly #elementTypes = new Set<JsonType>();
  #bytes = 0;
  #failure: Extract<JsonShape, { valid: false }> | undefined;

  constructor(limits: JsonScanLimits, lines = false) {
    this.#limits = limits;
    this.#lines = lines;
    this.#tokenizer = new Tokenizer(lines ? { separator: '\n' } : {});
    this.#tokenizer.onToken = (token) => this.#observe(token);
  }

  /** Feeds the next chunk of text; returns false once the scan has failed (stop feeding). */
  write(text: string): boolean {
    if (this.#failure) return false;
    try {
      this.#tokenizer.write(text);
      this.#bytes += Buffer.byteLength(text);
    } catch (error) {
      this.#fail(error);
    }
    return !this.#failure;
  }

  /** Ends the text and returns what was found. */
  end(): JsonShape {
    if (!this.#failure) {
      try {
        this.#tokenizer.end();
        if (this.#roots === 0) throw new ScanError('empty document', 0);
        const between = this.#lines && this.#expect === 'value' && this.#open.length === 0;
        if (this.#expect !== 'end' && !between) throw new ScanError('unexpected end of input', this.#bytes);
      } catch (error) {
        this.#fail(error);
      }
    }
    if (this.#failure) return this.#failure;
    const types = [...this.#elementTypes];
    if (this.#lines) return { valid: true, type: 'ndjson', length: this.#roots, elementTypes: types };
    if (this.#root === 'object')
      return { valid: true, type: 'object', keys: [...this.#keys], keyCount: this.#keyCount };
    if (this.#root === 'array')
      return { valid: true, type: 'array', length: this.#length, elementTypes: types };
    return { valid: true, type: this.#root ?? 'null' };
  }

  #observe({ token, value, offset }: ParsedTokenInfo): void {
    if (token === TokenType.SEPARATOR) {
      // NDJSON: a newline ends a record; elsewhere (blank lines, inside a record) it is whitespace.
      if (this.#expect === 'end') this.#expect = 'value';
      return;
    }
    const unexpected = () => new ScanError(`unexpected ${JSON.stringify(String(value))}`, offset);
    const depth = this.#open.length;
    const inObject = this.#open[depth - 1] === true;
    switch (this.#expect) {
      case 'value': {
        const type = VALUE_TYPES[token];
        if (!type) {
          const closes = token === TokenType.RIGHT_BRACKET && this.#canClose && depth > 0 && !inObject;
          if (!closes) throw unexpected();
          this.#close();
          return;
        }
        this.#noteValue(type, depth);
        if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
          if (depth + 1 > this.#limits.maxDepth) throw new ScanError('depth limit', offset);
          this.#open.push(token === TokenType.LEFT_BRACE);
          this.#expect = token === TokenType.LEFT_BRACE ? 'key' : 'value';
          this.#canClose = true;
          return;
        }
        this.#completeValue();
        return;
      }
      case 'key':
        if (token === TokenType.STRING) {
          if (depth === 1 && !this.#lines) {
            this.#keyCount++;
            if (this.#keys.size < this.#limits.maxKeys) this.#keys.add(value as string);
          }
          this.#expect = 'colon';
          return;
        }
        if (token !== TokenType.RIGHT_BRACE || !this.#canClose) throw unexpected();
        this.#close();
        return;
      case 'colon':
        if (token !== TokenType.COLON) throw unexpected();
        this.#expect = 'value';
        this.#canClose = false;
        return;
      case 'comma':
        if (token === TokenType.COMMA) {
          this.#expect = inObject ? 'key' : 'value';
          this.#canClose = false;
          return;
        }
        if (token !== (inObject ? TokenType.RIGHT_BRACE : TokenType.RIGHT_BRACKET)) throw unexpected();
        this.#close();
        return;
      case 'end':
        throw new ScanError(
          `unexpected ${JSON.stringify(String(value))} after the end of the document`,
          offset,
        );
    }
  }

  #noteValue(type: JsonType, depth: number): void {
    if (depth === 0) {
      this.#root = type;
      this.#roots++;
      if (this.#lines) this.#elementTypes.add(type);
    } else if (depth === 1 && this.#root === 'array' && !this.#lines) {
      this.#length++;
      this.#elementTypes.add(type);
    }
  }

  #close(): void {
    this.#open.pop();
    this.#completeValue();
  }

  #completeValue(): void {
    this.#expect = this.#open.length === 0 ? 'end' : 'comma';
    this.#canClose = false;
  }

  #fail(error: unknown): void {
    if (error instanceof ScanError) {
      this.#failure = { valid: false, error: error.message, position: error.position };
      return;
    }
    // The tokenizer's own errors: bad characters, bad escapes, a token cut off at the end.
    const message = error instanceof TokenizerError ? error.message : String(error);
    const absolute = /\(absolute position "(\d+)"\)/.exec(message)?.[1];
    const complaint = message.startsWith('Tokenizer ended')
      ? 'unexpected end of input'
      : message
          .replace(/ at chunk position "\d+" \(absolute position "\d+"\)/, '')
          .replace(/ in state \w+$/, '')
          .replace(/^Unexpected/, 'unexpected');
    this.#failure = {
      valid: false,
      error: complaint,
      position: absolute === undefined ? this.#bytes : Number(absolute),
    };
  }
}

/**
 * The deepest nesting of `[`/`{` in JSON text, found without parsing (strings skipped), stopping
 * at the first position deeper than `maxDepth`. Lets small files be checked before JSON.parse.
 */
export function nestingBeyond(text: string, maxDepth: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return Buffer.byteLength(text.slice(0, i));
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return null;
}
