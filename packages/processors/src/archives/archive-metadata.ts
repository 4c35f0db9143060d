import type { ArchiveLink } from './link-target.js';

/** One listed entry of an archive. Sizes are as the archive declares them. */
export type ArchiveEntry = {
  /** The name inside the archive (metadata only; never used as a path). */
  name: string;
  size: number;
  /** Compressed size; `null` for `tar.gz`, which compresses the stream, not entries. */
  compressedSize: number | null;
  isDirectory: boolean;
  /** ISO 8601, or `null` when the archive has no valid time. */
  modified: string | null;
  /** Zip only: the entry is encrypted (listed, never read). */
  encrypted?: boolean;
  /** Present on symbolic and hard links: the target, and whether it would escape if unpacked. */
  link?: ArchiveLink;
  /** The name was longer than {@link MAX_LISTED_NAME_BYTES} and is cut there. */
  nameTruncated?: true;
};

/** What the archive processor stores under `metadata.archive`. */
export type ArchiveMetadata = {
  format: 'zip' | 'tar' | 'tar.gz';
  entryCount: number;
  /** Sum of declared uncompressed sizes. */
  totalSize: number;
  /** Sum of compressed sizes (zip), the same as `totalSize` (tar), or the file size (tar.gz). */
  totalCompressedSize: number;
  /** The first `maxListedEntries` entries, in archive order. */
  entries: ArchiveEntry[];
  /** More entries exist than `entries` lists (past `maxListedEntries`, or past {@link MAX_LISTING_NAME_BYTES} of names). */
  truncatedListing: boolean;
  /** Zip only: how many entries are encrypted. */
  encryptedEntries?: number;
  /** How many entries are symbolic or hard links; absent when none. */
  links?: number;
  /**
   * How many links have an unsafe target (`link.unsafe`): all of them for tar, the listed
   * ones for zip (whose targets are entry data, read only for listed entries).
   */
  unsafeLinks?: number;
};

/** Longest entry name a listing keeps, in UTF-8 bytes; a longer one is cut there (`nameTruncated`). */
export const MAX_LISTED_NAME_BYTES = 1024;

/**
 * Bytes of entry names a listing keeps in all: a record (and every file listing that returns
 * it) stays small however long the archive's names are; the listing stops there.
 */
export const MAX_LISTING_NAME_BYTES = 256 * 1024;

/** `name` as listed: cut to {@link MAX_LISTED_NAME_BYTES} on a character boundary, flagged when cut. */
export function listedName(name: string): Pick<ArchiveEntry, 'name' | 'nameTruncated'> {
  if (Buffer.byteLength(name) <= MAX_LISTED_NAME_BYTES) return { name };
  const cut = new TextDecoder()
    .decode(Buffer.from(name).subarray(0, MAX_LISTED_NAME_BYTES))
    .replace(/\uFFFD$/, '');
  return { name: cut, nameTruncated: true };
}

/** `links` and `unsafeLinks` for the metadata, or nothing when the archive has no links. */
export function linkCounts(
  links: number,
  unsafeLinks: number,
): Pick<ArchiveMetadata, 'links' | 'unsafeLinks'> {
  return links === 0 ? {} : { links, unsafeLinks };
}

/** Options of the listing itself, shared by zip and tar. */
export interface ListingOptions {
  /**
   * How many entries to store in `metadata.archive.entries`. Counts and totals always cover
   * every entry; a long listing grows every record.
   * @default 1000
   */
  maxListedEntries?: number;
}
