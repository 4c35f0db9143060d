import { crc32, deflateRawSync } from 'node:zlib';

/**
 * One entry of a test zip. Without overrides it is an honest entry; every field below can
 * lie, so tests can build the hostile archives of specs/security.md §E. Lies go into the
 * central directory (what readers trust); local headers keep the real sizes so that
 * file-type, which walks local headers, still recognises the file.
 */
export interface ZipEntrySpec {
  name: string | Uint8Array;
  data?: Uint8Array | string;
  /** @default 'deflate' */
  method?: 'store' | 'deflate';
  /** Declared uncompressed size in the central directory (zip64 extra field above 4 GiB - 1). */
  size?: number;
  /** Declared compressed size in the central directory. */
  compressedSize?: number;
  crc32?: number;
  /** Unix mode for the external attributes, e.g. `0o120777` for a symlink. */
  unixMode?: number;
  /** General-purpose flags (bit 0: encrypted, bit 11: UTF-8 name). @default 0x800 */
  flags?: number;
  /** @default 2024-01-02T03:04:06Z */
  modified?: Date;
  /** Write no local header and data; the central entry points at entry `pointsTo`'s local header. */
  pointsTo?: number;
  /** Write the local header and data but no central entry (unlisted bytes). */
  unlisted?: boolean;
}

/** Archive-level options. */
export interface ZipOptions {
  /** Bytes appended after the end-of-central-directory record. */
  trailing?: Uint8Array;
  /** Entry count written into the end-of-central-directory record. */
  entryCount?: number;
}

const DEFAULT_MODIFIED = new Date(Date.UTC(2024, 0, 2, 3, 4, 6));

function dosDateTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

const bytes = (value: Uint8Array | string | undefined) =>
  typeof value === 'string' ? Buffer.from(value) : Buffer.from(value ?? new Uint8Array(0));

interface Local {
  spec: ZipEntrySpec;
  name: Buffer;
  data: Buffer;
  payload: Buffer;
  crc: number;
  offset: number;
}

function localHeader(local: Local, when: { time: number; date: number }): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(local.spec.flags ?? 0x800, 6);
  header.writeUInt16LE(local.spec.method === 'store' ? 0 : 8, 8);
  header.writeUInt16LE(when.time, 10);
  header.writeUInt16LE(when.date, 12);
  header.writeUInt32LE(local.crc, 14);
  header.writeUInt32LE(local.payload.length, 18);
  header.writeUInt32LE(local.data.length, 22);
  header.writeUInt16LE(local.name.length, 26);
  return Buffer.concat([header, local.name]);
}

function centralHeader(local: Local, spec: ZipEntrySpec, name: Buffer, offset: number): Buffer {
  const when = dosDateTime(spec.modified ?? DEFAULT_MODIFIED);
  const size = spec.size ?? local.data.length;
  const compressedSize = spec.compressedSize ?? local.payload.length;
  const zip64 = [size, compressedSize].filter((n) => n >= 0xffffffff);
  const extra = Buffer.alloc(zip64.length ? 4 + 8 * zip64.length : 0);
  if (zip64.length) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(8 * zip64.length, 2);
    zip64.forEach((n, i) => {
      extra.writeBigUInt64LE(BigInt(n), 4 + 8 * i);
    });
  }
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(spec.unixMode === undefined ? 20 : (3 << 8) | 20, 4);
  header.writeUInt16LE(zip64.length ? 45 : 20, 6);
  header.writeUInt16LE(spec.flags ?? 0x800, 8);
  header.writeUInt16LE(spec.method === 'store' ? 0 : 8, 10);
  header.writeUInt16LE(when.time, 12);
  header.writeUInt16LE(when.date, 14);
  header.writeUInt32LE(spec.crc32 ?? local.crc, 16);
  header.writeUInt32LE(Math.min(compressedSize, 0xffffffff), 20);
  header.writeUInt32LE(Math.min(size, 0xffffffff), 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  header.writeUInt32LE(spec.unixMode === undefined ? 0 : (spec.unixMode << 16) >>> 0, 38);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, name, extra]);
}

/** Builds a zip archive in memory from `entries` (see {@link ZipEntrySpec} for the lies it can tell). */
export function buildZip(entries: readonly ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const locals: (Local | undefined)[] = entries.map((spec) => {
    if (spec.pointsTo !== undefined) return undefined;
    const data = bytes(spec.data);
    const payload = spec.method === 'store' ? data : deflateRawSync(data);
    const local: Local = { spec, name: bytes(spec.name), data, payload, crc: crc32(data), offset };
    const header = localHeader(local, dosDateTime(spec.modified ?? DEFAULT_MODIFIED));
    parts.push(header, payload);
    offset += header.length + payload.length;
    return local;
  });
  const centralStart = offset;
  let listed = 0;
  entries.forEach((spec, i) => {
    if (spec.unlisted) return;
    listed++;
    const local = locals[spec.pointsTo ?? i];
    if (!local) throw new Error(`buildZip: entry ${i} points at an entry without a local header`);
    const central = centralHeader(local, spec, bytes(spec.name), local.offset);
    parts.push(central);
    offset += central.length;
  });
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.entryCount ?? listed, 8);
  end.writeUInt16LE(options.entryCount ?? listed, 10);
  end.writeUInt32LE(offset - centralStart, 12);
  end.writeUInt32LE(centralStart, 16);
  parts.push(end, bytes(options.trailing));
  return Buffer.concat(parts);
}

/** The minimal `[Content_Types].xml` of an OOXML package whose main part has `mainType`. */
export function contentTypes(overrides: Record<string, string>): string {
  const items = Object.entries(overrides)
    .map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    `<Default Extension="xml" ContentType="application/xml"/>${items}</Types>`
  );
}
