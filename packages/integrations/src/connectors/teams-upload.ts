/**
 * Uploading a stored file into a channel's SharePoint folder (specs/connectors.md §5 "Upload a
 * file to a channel").
 *
 * How this works: a file up to `simpleUploadLimitBytes` goes in one
 * `PUT /drives/{drive}/items/{folder}:/{name}:/content`, read into memory first so that the
 * request can be sent again after a 401 (a stream cannot). A larger file goes through an upload
 * session, streamed in `chunkBytes` pieces and resumed from `nextExpectedRanges` when a chunk
 * is lost (`teams-upload-session.ts`).
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { z } from 'zod';
import type { ConnectorClient } from './define.js';
import type { FileSource } from './types.js';

/** Every upload-session chunk but the last must be a multiple of 320 KiB [doc]. */
export const GRAPH_CHUNK_UNIT = 327_680;
/** Each chunk must stay under 60 MiB [doc]. */
const GRAPH_MAX_CHUNK = 60 * 1024 * 1024;
/** The simple PUT's documented ceiling. */
const GRAPH_MAX_SIMPLE = 250 * 1024 * 1024;

/** How files are uploaded. */
export interface TeamsUploadOptions {
  /**
   * Files up to this size go in one PUT, held in memory; larger ones through an upload session,
   * streamed. Graph allows 250 MB in one PUT, but a big single request cannot resume and holds
   * the file in memory; Microsoft recommends sessions above 4 MB.
   * @default 4194304 (4 MiB)
   */
  simpleUploadLimitBytes?: number;
  /**
   * Size of each upload-session chunk: a multiple of 327,680 bytes (320 KiB), under 60 MiB.
   * Bigger chunks mean fewer requests and more memory per upload.
   * @default 5242880 (5 MiB = 16 × 320 KiB)
   */
  chunkBytes?: number;
  /**
   * How many times one upload session is resumed (asked for `nextExpectedRanges`, then the
   * missing bytes sent) after a lost chunk before the attempt gives up and cancels it.
   * @default 3
   */
  resumeAttempts?: number;
}

/** The upload limits, checked. */
export type TeamsUploadLimits = Required<TeamsUploadOptions>;

/** Checks upload options at construction (bad ones fail here, not on the first upload). */
export function uploadLimitsOf(options: TeamsUploadOptions = {}): TeamsUploadLimits {
  const simple = options.simpleUploadLimitBytes ?? 4 * 1024 * 1024;
  const chunk = options.chunkBytes ?? 16 * GRAPH_CHUNK_UNIT;
  if (!Number.isInteger(simple) || simple < 0 || simple > GRAPH_MAX_SIMPLE) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:teams] "simpleUploadLimitBytes" must be an integer from 0 to ${GRAPH_MAX_SIMPLE}, got ${simple}`,
    );
  }
  if (!Number.isInteger(chunk) || chunk <= 0 || chunk % GRAPH_CHUNK_UNIT !== 0 || chunk >= GRAPH_MAX_CHUNK) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:teams] "chunkBytes" must be a multiple of ${GRAPH_CHUNK_UNIT} (320 KiB) under 60 MiB, got ${chunk}`,
    );
  }
  const resumeAttempts = options.resumeAttempts ?? 3;
  if (!Number.isInteger(resumeAttempts) || resumeAttempts < 0) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:teams] "resumeAttempts" must be a non-negative integer, got ${resumeAttempts}`,
    );
  }
  return { simpleUploadLimitBytes: simple, chunkBytes: chunk, resumeAttempts };
}

/** The driveItem fields the connector uses. */
export const driveItem = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().optional(),
  webUrl: z.string(),
  eTag: z.string().optional(),
  parentReference: z.object({ driveId: z.string().optional(), id: z.string().optional() }).optional(),
});
/** A driveItem, as far as the connector reads it. */
export type DriveItem = z.output<typeof driveItem>;

/** Where a file goes and what happens on a name clash. */
export interface UploadTarget {
  driveId: string;
  folderId: string;
  name: string;
  conflictBehavior: 'rename' | 'replace' | 'fail';
}

/** `drives/{drive}/items/{folder}:/{name}:/{action}` — Graph's path-addressed child of a folder. */
export function uploadPath(target: UploadTarget, action: 'content' | 'createUploadSession'): string {
  const e = encodeURIComponent;
  return `drives/${e(target.driveId)}/items/${e(target.folderId)}:/${e(target.name)}:/${action}`;
}

/** Reads a whole (small) stream. */
async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Cuts a byte stream into pieces of exactly `size` bytes (the last may be shorter). The stream
 * is paused while a piece is being sent, so memory stays at about one piece.
 */
export async function* chunksOf(stream: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  try {
    for await (const piece of stream) {
      let rest = piece as Buffer;
      while (length + rest.length >= size) {
        const take = size - length;
        pending.push(rest.subarray(0, take));
        yield pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        pending = [];
        length = 0;
        rest = rest.subarray(take);
      }
      if (rest.length > 0) {
        pending.push(rest);
        length += rest.length;
      }
    }
    if (length > 0) yield Buffer.concat(pending);
  } finally {
    stream.destroy();
  }
}

/** Uploads a small `file` in one PUT, held in memory so the client can replay it after a 401. */
export async function uploadSmall(
  client: ConnectorClient,
  target: UploadTarget,
  file: FileSource,
): Promise<DriveItem> {
  const bytes = await readAll(await file.open(client.signal));
  const { data } = await client.request({
    method: 'PUT',
    path: uploadPath(target, 'content'),
    response: driveItem,
    query: { '@microsoft.graph.conflictBehavior': target.conflictBehavior },
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
    // Sent again, `rename` makes a second file and `fail` a 409; `replace` only a new version.
    idempotent: target.conflictBehavior === 'replace',
  });
  return data;
}
