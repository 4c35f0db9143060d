/**
 * The encrypted blob format (version 1): a header, then the content as AES-256-GCM segments.
 *
 * ```
 * header (204 bytes)
 *   0  magic "FFENC\0"          6
 *   6  version (1)              1
 *   7  reserved (0)             1
 *   8  segment size, u32 BE     4   plaintext bytes per segment (65536)
 *  12  nonce prefix             7   random per blob
 *  19  reserved (0)             1
 *  20  key slot 0              92   wrapped data key
 * 112  key slot 1              92   (a second slot, so rotation never leaves a blob without a valid wrap)
 * key slot
 *   0  key id length (0 = empty) 1
 *   1  key id, zero-padded     31
 *  32  wrap nonce              12
 *  44  wrapped data key + tag  48   AES-256-GCM under the master key, AAD = label ‖ header[0..20) ‖ key id
 * segments
 *   ciphertext ‖ 16-byte tag; every segment but the last holds exactly `segment size` plaintext
 *   bytes; the last holds 0..size (0 only for an empty blob). Nonce = prefix ‖ counter u32 BE ‖
 *   final flag; AAD = header[0..20) ‖ final flag.
 * ```
 *
 * The fixed part of the header is in every segment's AAD and every wrap's AAD; the data key is
 * fresh per blob, so a segment moved from another blob, swapped with a neighbour, dropped from
 * the end or flipped fails its tag. A segment's plaintext is released only after its tag checked.
 * The wrapped keys are not in the segments' AAD: that is what lets rotation rewrite only them.
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ErrorCode, FileForgeError } from '../errors/index.js';

export const MAGIC = Buffer.from('FFENC\0', 'latin1');
export const FORMAT_VERSION = 1;
/** Plaintext bytes per segment. */
export const DEFAULT_SEGMENT_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const FIXED_HEADER_SIZE = 20;
export const SLOT_SIZE = 92;
export const SLOT_COUNT = 2;
export const HEADER_SIZE = FIXED_HEADER_SIZE + SLOT_COUNT * SLOT_SIZE;
const NONCE_PREFIX_SIZE = 7;
const KEY_ID_MAX = 31;
const WRAP_LABEL = Buffer.from('fileforge-key-wrap-v1', 'latin1');
const MAX_SEGMENTS = 2 ** 32;

/** One wrapped data key in a header slot. */
export interface KeySlot {
  keyId: string;
  nonce: Buffer;
  /** Wrapped data key followed by its tag. */
  wrapped: Buffer;
}

/** A parsed header. */
export interface BlobHeader {
  /** The 20 authenticated bytes every segment and wrap binds. */
  fixed: Buffer;
  segmentSize: number;
  noncePrefix: Buffer;
  /** `undefined` for an empty slot. */
  slots: (KeySlot | undefined)[];
}

/** Builds the fixed header part for a new blob. */
export function fixedHeader(segmentSize: number, noncePrefix: Buffer): Buffer {
  const fixed = Buffer.alloc(FIXED_HEADER_SIZE);
  MAGIC.copy(fixed, 0);
  fixed[6] = FORMAT_VERSION;
  fixed.writeUInt32BE(segmentSize, 8);
  noncePrefix.copy(fixed, 12, 0, NONCE_PREFIX_SIZE);
  return fixed;
}

/** Random bytes for a new blob's nonce prefix. */
export const NONCE_PREFIX_BYTES = NONCE_PREFIX_SIZE;

/** True when `head` starts with the encrypted-blob magic. */
export function isEncrypted(head: Uint8Array): boolean {
  return head.length >= MAGIC.length && MAGIC.equals(Buffer.from(head.subarray(0, MAGIC.length)));
}

const integrity = (key: string, message: string) =>
  new FileForgeError(
    ErrorCode.BLOB_INTEGRITY_FAILED,
    `[fileforge:encryption] Blob ${key} ${message} (tampered, truncated or damaged); run "fileforge fsck"`,
    { details: { key } },
  );

/** Parses a header; `BLOB_INTEGRITY_FAILED` when it is not one this version wrote. */
export function parseHeader(key: string, bytes: Buffer): BlobHeader {
  if (bytes.length < HEADER_SIZE || !isEncrypted(bytes))
    throw integrity(key, 'has no valid encryption header');
  if (bytes[6] !== FORMAT_VERSION) throw integrity(key, `has an unknown format version ${bytes[6]}`);
  const segmentSize = bytes.readUInt32BE(8);
  if (segmentSize < 1024 || segmentSize > 16 * 1024 * 1024)
    throw integrity(key, 'has an invalid segment size');
  const slots: (KeySlot | undefined)[] = [];
  for (let i = 0; i < SLOT_COUNT; i++) {
    const slot = parseSlot(bytes.subarray(slotOffset(i), slotOffset(i) + SLOT_SIZE));
    if (slot === null) throw integrity(key, `has a malformed key slot ${i}`);
    slots.push(slot);
  }
  return {
    fixed: Buffer.from(bytes.subarray(0, FIXED_HEADER_SIZE)),
    segmentSize,
    noncePrefix: Buffer.from(bytes.subarray(12, 12 + NONCE_PREFIX_SIZE)),
    slots,
  };
}

/** Byte offset of key slot `i` in the blob. */
export const slotOffset = (i: number) => FIXED_HEADER_SIZE + i * SLOT_SIZE;

/**
 * A slot as {@link encodeSlot} writes it: `undefined` when empty, null when malformed. The
 * bytes no tag covers — an empty slot, the key id's zero padding — must be zeros, so no byte
 * of a header can change unnoticed.
 */
function parseSlot(bytes: Buffer): KeySlot | undefined | null {
  const length = bytes[0]!;
  if (length === 0) return bytes.every((b) => b === 0) ? undefined : null;
  if (length > KEY_ID_MAX || bytes.subarray(1 + length, 32).some((b) => b !== 0)) return null;
  return {
    keyId: bytes.subarray(1, 1 + length).toString('latin1'),
    nonce: Buffer.from(bytes.subarray(32, 44)),
    wrapped: Buffer.from(bytes.subarray(44, SLOT_SIZE)),
  };
}

/** Serialises a slot (`undefined`: an empty, zeroed slot). */
export function encodeSlot(slot: KeySlot | undefined): Buffer {
  const out = Buffer.alloc(SLOT_SIZE);
  if (!slot) return out;
  out[0] = Buffer.byteLength(slot.keyId, 'latin1');
  out.write(slot.keyId, 1, 'latin1');
  slot.nonce.copy(out, 32);
  slot.wrapped.copy(out, 44);
  return out;
}

const wrapAad = (fixed: Buffer, keyId: string) =>
  Buffer.concat([WRAP_LABEL, fixed, Buffer.from(keyId, 'latin1')]);

/** Wraps a data key under a master key (AES-256-GCM, the blob's fixed header and the key id as AAD). */
export function wrapKey(
  fixed: Buffer,
  master: { id: string; key: Buffer },
  dataKey: Buffer,
  nonce: Buffer,
): KeySlot {
  const cipher = createCipheriv('aes-256-gcm', master.key, nonce);
  cipher.setAAD(wrapAad(fixed, master.id));
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  return { keyId: master.id, nonce, wrapped };
}

/** Unwraps a data key; `null` when the wrap does not verify under this master key. */
export function unwrapKey(fixed: Buffer, master: { id: string; key: Buffer }, slot: KeySlot): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', master.key, slot.nonce, { authTagLength: TAG_SIZE });
    decipher.setAAD(wrapAad(fixed, master.id));
    decipher.setAuthTag(slot.wrapped.subarray(32));
    return Buffer.concat([decipher.update(slot.wrapped.subarray(0, 32)), decipher.final()]);
  } catch {
    return null;
  }
}

function segmentNonce(prefix: Buffer, index: number, final: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0, 0, NONCE_PREFIX_SIZE);
  nonce.writeUInt32BE(index, NONCE_PREFIX_SIZE);
  nonce[11] = final ? 1 : 0;
  return nonce;
}

const segmentAad = (fixed: Buffer, final: boolean) => Buffer.concat([fixed, Buffer.of(final ? 1 : 0)]);

/** Encrypts one segment: ciphertext ‖ tag. */
export function sealSegment(
  header: BlobHeader,
  dataKey: Buffer,
  index: number,
  final: boolean,
  plain: Buffer,
): Buffer {
  if (index >= MAX_SEGMENTS)
    throw new FileForgeError(
      ErrorCode.FILE_TOO_LARGE,
      '[fileforge:encryption] Blob too large for its segment counter',
    );
  const cipher = createCipheriv('aes-256-gcm', dataKey, segmentNonce(header.noncePrefix, index, final));
  cipher.setAAD(segmentAad(header.fixed, final));
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Decrypts one segment, or `null` when its tag does not verify (nothing of it is returned then). */
export function openSegment(
  header: BlobHeader,
  dataKey: Buffer,
  index: number,
  final: boolean,
  sealed: Buffer,
): Buffer | null {
  if (sealed.length < TAG_SIZE) return null;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      dataKey,
      segmentNonce(header.noncePrefix, index, final),
      {
        authTagLength: TAG_SIZE,
      },
    );
    decipher.setAAD(segmentAad(header.fixed, final));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
    const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE));
    decipher.final();
    return plain;
  } catch {
    return null;
  }
}

/** Plaintext size of a blob whose stored (ciphertext) size is `stored`; `null` if no valid layout has that size. */
export function plaintextSize(stored: number, segmentSize: number): number | null {
  const body = stored - HEADER_SIZE;
  if (body < TAG_SIZE) return null;
  const full = segmentSize + TAG_SIZE;
  const segments = Math.ceil(body / full);
  const last = body - (segments - 1) * full;
  if (last < TAG_SIZE || (last === TAG_SIZE && segments > 1)) return null;
  return body - segments * TAG_SIZE;
}

/** Number of segments of a blob of `size` plaintext bytes (an empty blob has one, empty). */
export const segmentCount = (size: number, segmentSize: number) => Math.max(1, Math.ceil(size / segmentSize));

/** Encrypts a plaintext stream into header ‖ segments. */
export class SegmentEncryptor extends Transform {
  #pending: Buffer = Buffer.alloc(0);
  #index = 0;
  #started = false;

  constructor(
    private readonly header: BlobHeader,
    private readonly headerBytes: Buffer,
    private readonly dataKey: Buffer,
  ) {
    super();
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    this.push(this.headerBytes);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#start();
      this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
      const size = this.header.segmentSize;
      // A segment is sealed as non-final only once a byte beyond it has arrived: the last one is sealed in flush.
      while (this.#pending.length > size) {
        this.push(
          sealSegment(this.header, this.dataKey, this.#index++, false, this.#pending.subarray(0, size)),
        );
        this.#pending = this.#pending.subarray(size);
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#start();
      this.push(sealSegment(this.header, this.dataKey, this.#index++, true, this.#pending));
      this.#pending = Buffer.alloc(0);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

/** Options for {@link SegmentDecryptor}. */
export interface SegmentDecryptorOptions {
  /** Blob key, for messages. */
  key: string;
  header: BlobHeader;
  dataKey: Buffer;
  /** Index of the first segment in the input. @default 0 */
  firstIndex?: number;
  /**
   * Index of the blob's final segment, when the input is a range of segments. Without it the
   * input runs to the end of the blob and its last segment must be the final one.
   */
  finalIndex?: number;
  /** Segments the input must hold (for ranges). */
  expectedSegments?: number;
  /** Plaintext bytes to drop from the front (range start within the first segment). @default 0 */
  skip?: number;
  /** Plaintext bytes to emit at most. @default all */
  length?: number;
  /** Called once per segment decrypted (instrumentation). */
  onSegment?: (index: number) => void;
}

/**
 * Decrypts segments as they arrive, releasing each one's plaintext only after its tag verified;
 * any failure errors the stream with `BLOB_INTEGRITY_FAILED` before that segment's bytes.
 */
export class SegmentDecryptor extends Transform {
  #pending: Buffer = Buffer.alloc(0);
  #index: number;
  #decrypted = 0;
  #skip: number;
  #left: number;

  constructor(private readonly options: SegmentDecryptorOptions) {
    super();
    this.#index = options.firstIndex ?? 0;
    this.#skip = options.skip ?? 0;
    this.#left = options.length ?? Number.POSITIVE_INFINITY;
  }

  #open(sealed: Buffer, final: boolean): void {
    const { header, dataKey, key } = this.options;
    const index = this.#index++;
    this.options.onSegment?.(index);
    const plain = openSegment(header, dataKey, index, final, sealed);
    if (!plain) throw integrity(key, `failed its integrity check at segment ${index}`);
    this.#decrypted++;
    let out = plain;
    if (this.#skip > 0) {
      const dropped = Math.min(this.#skip, out.length);
      out = out.subarray(dropped);
      this.#skip -= dropped;
    }
    if (out.length > this.#left) out = out.subarray(0, this.#left);
    this.#left -= out.length;
    if (out.length > 0) this.push(out);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
      const full = this.options.header.segmentSize + TAG_SIZE;
      while (this.#pending.length > full) {
        if (this.options.finalIndex !== undefined && this.#index >= this.options.finalIndex) {
          throw integrity(this.options.key, 'has data after its final segment');
        }
        this.#open(this.#pending.subarray(0, full), false);
        this.#pending = this.#pending.subarray(full);
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      const { finalIndex, expectedSegments, key } = this.options;
      if (this.#pending.length === 0) {
        if (expectedSegments === undefined || this.#decrypted !== expectedSegments) {
          throw integrity(key, 'ends before its final segment');
        }
      } else {
        this.#open(this.#pending, finalIndex === undefined || this.#index === finalIndex);
        if (expectedSegments !== undefined && this.#decrypted !== expectedSegments) {
          throw integrity(key, 'ends before its final segment');
        }
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}
