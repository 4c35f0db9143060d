/**
 * Random multipart/form-data requests for the receiver's fuzz test: random boundaries, part
 * counts, file sizes (some over the limit), header padding (some over the parser's limits),
 * preambles and epilogues, then truncation, a corrupted framing byte, a boundary that does not
 * match, and random chunking. Everything comes from a seeded PRNG, so a failing case is
 * reproduced by its seed.
 *
 * @module
 */

/** A seeded PRNG (mulberry32): `next()` in [0, 1). */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    bytes(length: number) {
      const out = Buffer.alloc(length);
      for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}

type Random = ReturnType<typeof createRandom>;

/** Limits the generated requests are judged against (the receiver must be given the same). */
export interface FuzzLimits {
  maxFileSize: number;
  maxFiles: number;
}

/** One generated request. */
export interface FuzzCase {
  seed: number;
  headers: Record<string, string>;
  /** The bytes the client sends, in the order and pieces it sends them. */
  chunks: Buffer[];
  /** Everything the client sends. */
  body: Buffer;
  /** `CRLF--boundary` as the request's Content-Type declares it: what ends a part. */
  delimiter: Buffer;
  /** Contents of the file parts of the generated body, in order. */
  files: Buffer[];
  /**
   * Whether the framing is as generated (no flipped byte, the declared boundary is the one
   * used): then the only files that may be stored are {@link FuzzCase.files}.
   */
  framingIntact: boolean;
  /** `end`: the body ends (short or whole); `abort`: the client goes away after sending. */
  ending: 'end' | 'abort';
  /** Deliver chunks on separate turns of the event loop (else all at once). */
  spread: boolean;
  /** Whole, valid and within every limit: every file part must be stored. */
  wellFormed: boolean;
}

const BCHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

function boundaryOf(random: Random): string {
  const length = random.chance(0.2) ? random.int(1, 4) : random.int(5, 70);
  return Array.from({ length }, () => random.pick([...BCHARS])).join('');
}

function fileSize(random: Random, limit: number): number {
  const roll = random.next();
  if (roll < 0.35) return random.int(0, 64);
  if (roll < 0.75) return random.int(65, 4096);
  if (roll < 0.93) return random.int(4097, limit);
  if (roll < 0.96) return limit;
  return random.int(limit + 1, limit + 8192);
}

/** Extra header lines; occasionally more pairs or bytes than the parser allows. */
function padding(random: Random): { lines: string; withinLimits: boolean } {
  const roll = random.next();
  if (roll < 0.04) return { lines: 'X-Pad: '.concat('h'.repeat(90 * 1024), '\r\n'), withinLimits: false };
  if (roll < 0.08) {
    const lines = Array.from({ length: 60 }, (_, i) => `X-Pad-${i}: ${i}\r\n`).join('');
    return { lines, withinLimits: false };
  }
  const count = random.int(0, 3);
  const lines = Array.from({ length: count }, (_, i) => `X-Pad-${i}: ${'p'.repeat(random.int(0, 2048))}\r\n`);
  return { lines: lines.join(''), withinLimits: true };
}

/** Splits `bytes` into 1–~200 pieces of random sizes (some tiny, to split delimiters). */
function chunk(random: Random, bytes: Buffer): Buffer[] {
  if (bytes.length === 0) return [];
  const smallest = Math.max(1, Math.ceil(bytes.length / 200));
  const largest = random.chance(0.3) ? Math.max(smallest, 16) : Math.max(smallest, 64 * 1024);
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = random.int(smallest, largest);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** Generates the request of `seed`. */
export function generateCase(seed: number, limits: FuzzLimits): FuzzCase {
  const random = createRandom(seed);
  const boundary = boundaryOf(random);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const pieces: Buffer[] = [];
  /** [start, end) of each file's content in the body: corruption never lands there. */
  const contentRanges: Array<[number, number]> = [];
  const files: Buffer[] = [];
  let withinLimits = true;
  let length = 0;
  const add = (piece: Buffer) => {
    pieces.push(piece);
    length += piece.length;
  };

  if (random.chance(0.2)) add(Buffer.from(`preamble ${'z'.repeat(random.int(0, 300))}\r\n`));
  const partCount = random.chance(0.05) ? 0 : random.int(1, limits.maxFiles + 1);
  let fileCount = 0;
  for (let i = 0; i < partCount; i++) {
    const pad = padding(random);
    withinLimits &&= pad.withinLimits;
    add(Buffer.from(`${i === 0 && length === 0 ? '' : '\r\n'}--${boundary}\r\n`));
    if (random.chance(0.2)) {
      add(
        Buffer.from(`Content-Disposition: form-data; name="note${i}"\r\n${pad.lines}\r\nfield value ${seed}`),
      );
      continue;
    }
    const size = fileSize(random, limits.maxFileSize);
    const tag = Buffer.from(`${seed}:${i}:`);
    let content =
      size >= tag.length ? Buffer.concat([tag, random.bytes(size - tag.length)]) : random.bytes(size);
    while (content.includes(delimiter)) content = random.bytes(content.length);
    const type = random.chance(0.5) ? 'Content-Type: application/octet-stream\r\n' : '';
    add(
      Buffer.from(
        `Content-Disposition: form-data; name="file"; filename="f${seed}-${i}.bin"\r\n${type}${pad.lines}\r\n`,
      ),
    );
    contentRanges.push([length, length + content.length]);
    add(content);
    files.push(content);
    fileCount++;
    if (content.length > limits.maxFileSize) withinLimits = false;
  }
  if (partCount > 0) add(Buffer.from(`\r\n--${boundary}--\r\n`));
  if (random.chance(0.1)) add(Buffer.from(`epilogue ${'e'.repeat(random.int(0, 100))}`));
  if (fileCount === 0 || fileCount > limits.maxFiles) withinLimits = false;

  let body = Buffer.concat(pieces);
  let intact = true;
  let framingIntact = true;
  const roll = random.next();
  if (roll < 0.55) {
    body = body.subarray(0, random.int(0, Math.max(0, body.length - 1)));
    intact = false;
  } else if (roll < 0.65 && body.length > 0) {
    // Cut right around a delimiter, where parsers keep look-behind state.
    const at = body.lastIndexOf(`--${boundary}`, random.int(0, body.length - 1));
    body = body.subarray(0, Math.max(0, at + random.int(-3, boundary.length + 3)));
    intact = false;
  } else if (roll < 0.72 && body.length > 0) {
    const at = random.int(0, body.length - 1);
    if (!contentRanges.some(([start, end]) => at >= start && at < end)) {
      body = Buffer.from(body);
      body[at] = body[at]! ^ (1 << random.int(0, 7));
      intact = false;
      framingIntact = false;
    }
  }
  const declared = random.chance(0.03) ? `${boundary}x` : boundary;
  if (declared !== boundary) {
    intact = false;
    framingIntact = false;
  }
  const contentType = random.chance(0.5)
    ? `multipart/form-data; boundary=${declared}`
    : `multipart/form-data; boundary="${declared}"`;
  const ending = random.chance(0.15) ? 'abort' : 'end';
  return {
    seed,
    headers: { 'content-type': contentType, 'content-length': String(body.length) },
    chunks: chunk(random, body),
    body,
    delimiter: Buffer.from(`\r\n--${declared}`),
    files,
    framingIntact,
    ending,
    spread: random.chance(0.5),
    wellFormed: intact && withinLimits && ending === 'end',
  };
}
