import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { FileForgeError, type ProcessorFile } from '@fileforge/core';
import { extract, type Header } from 'tar-stream';
import { rejectContent } from '../reject-content.js';
import {
  type ArchiveEntry,
  type ArchiveMetadata,
  linkCounts,
  listedName,
  MAX_LISTING_NAME_BYTES,
} from './archive-metadata.js';
import { type ArchiveLink, describeLink } from './link-target.js';
import { unsafeEntryName } from './zip-checks.js';
import type { ZipLimits } from './zip-limits.js';

/**
 * Why a tar listing was refused: the tar counterparts of the zip reasons
 * (`archive_limits`, also for the gzip layer, and `archive_unsafe_path`) and
 * `archive_invalid`. Symbolic and hard links are listed, not refused (`link-target.ts`).
 */
export type TarRejectReason = 'archive_limits' | 'archive_unsafe_path';

const reject = (
  reason: TarRejectReason | 'archive_invalid',
  what: string,
  details: Record<string, unknown> = {},
) => rejectContent('tar', reason, `Archive rejected (${reason}): ${what}`, { details });

/**
 * Counts the inflated bytes of a `.tar.gz` and stops the stream once they pass either the
 * total cap or `maxRatio` times the compressed size (past `ratioMinBytes`), so a gzip bomb
 * costs at most that much CPU.
 */
class GzipMeter extends Transform {
  #bytes = 0;
  readonly #limit: number;

  constructor(
    private readonly limits: ZipLimits,
    compressedSize: number,
  ) {
    super();
    this.#limit = Math.max(limits.ratioMinBytes, compressedSize * limits.maxRatio);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.limits.maxTotalBytes) {
      callback(reject('archive_limits', `inflates past ${this.limits.maxTotalBytes} bytes`));
    } else if (this.#bytes > this.#limit) {
      callback(
        reject('archive_limits', `inflates more than ${this.limits.maxRatio}:1`, {
          limit: this.limits.maxRatio,
        }),
      );
    } else {
      callback(null, chunk);
    }
  }
}

function checkHeader(header: Header, count: number, total: number, limits: ZipLimits): void {
  const unsafe = unsafeEntryName(header.name);
  if (unsafe)
    throw reject('archive_unsafe_path', `${unsafe}: ${JSON.stringify(header.name)}`, { entry: header.name });
  if (count > limits.maxEntries) {
    throw reject('archive_limits', `more than ${limits.maxEntries} entries`, { limit: limits.maxEntries });
  }
  if (total > limits.maxTotalBytes) {
    throw reject('archive_limits', `declares more than ${limits.maxTotalBytes} bytes`, {
      limit: limits.maxTotalBytes,
    });
  }
}

/**
 * Lists a tar (optionally gzip-compressed) in one streamed pass, links with their targets. Unlike zip, tar has no
 * directory: headers sit between entry data, so each header is checked before its data is
 * skipped (never stored), and the gzip layer is metered.
 */
export async function listTar(
  file: ProcessorFile,
  gzip: boolean,
  limits: ZipLimits,
  maxListed: number,
  signal: AbortSignal,
): Promise<ArchiveMetadata> {
  const tar = extract();
  const stages = gzip ? [createGunzip(), new GzipMeter(limits, file.record.size)] : [];
  const piping = pipeline([await file.open(), ...stages, tar], { signal });
  piping.catch(() => {}); // observed below; iteration may fail first
  const entries: ArchiveEntry[] = [];
  let count = 0;
  let total = 0;
  let links = 0;
  let unsafeLinks = 0;
  let nameBytes = 0;
  let namesFull = false;
  try {
    for await (const entry of tar) {
      const { header } = entry;
      count += 1;
      total += header.size;
      checkHeader(header, count, total, limits);
      const link = linkOf(header);
      if (link) {
        links += 1;
        if (link.unsafe) unsafeLinks += 1;
      }
      const listed = entries.length < maxListed && !namesFull ? listedName(header.name) : undefined;
      if (listed) nameBytes += Buffer.byteLength(listed.name);
      if (listed && nameBytes > MAX_LISTING_NAME_BYTES) namesFull = true;
      else if (listed) {
        entries.push({
          ...listed,
          size: header.size,
          compressedSize: gzip ? null : header.size,
          isDirectory: header.type === 'directory',
          modified: Number.isNaN(header.mtime?.getTime()) ? null : (header.mtime?.toISOString() ?? null),
          ...(link ? { link } : {}),
        });
      }
      entry.resume();
    }
    await piping;
  } catch (error) {
    tar.destroy();
    if (signal.aborted) throw signal.reason;
    const cause = await piping.then(
      () => error,
      (piped: unknown) => (FileForgeError.is(piped) ? piped : error),
    );
    if (FileForgeError.is(cause)) throw cause;
    throw reject('archive_invalid', cause instanceof Error ? cause.message : String(cause));
  }
  return {
    format: gzip ? 'tar.gz' : 'tar',
    entryCount: count,
    totalSize: total,
    totalCompressedSize: gzip ? file.record.size : total,
    entries,
    truncatedListing: count > entries.length,
    ...linkCounts(links, unsafeLinks),
  };
}

/** A tar symbolic link (`SYMTYPE`) or hard link (`LNKTYPE`) as listed, or `undefined`. */
function linkOf(header: Header): ArchiveLink | undefined {
  if (header.type !== 'symlink' && header.type !== 'link') return undefined;
  return describeLink(header.name, header.linkname ?? '', header.type === 'link' ? 'hardlink' : 'symlink');
}
