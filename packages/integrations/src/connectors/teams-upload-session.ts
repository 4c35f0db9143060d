/**
 * Uploading a stored file into a channel's folder: one PUT when small (`teams-upload.ts`), else
 * a Graph upload session with resume (specs/connectors.md §5 "Large file";
 * Microsoft's "Resume an in-progress upload").
 *
 * How this works: `createUploadSession` gives a pre-authenticated `uploadUrl`; the file is
 * streamed from storage in `chunkBytes` pieces, each `PUT {uploadUrl}` with
 * `Content-Range: bytes {first}-{last}/{total}` and **no** Authorization header, in order; only
 * one chunk is in memory at a time. When a chunk is lost — a network error, a 5xx or 429, or a
 * 416 for a range the session already has — the session is asked where it stands
 * (`GET {uploadUrl}` → `nextExpectedRanges`) and the upload goes on from there: the chunk is
 * sent again, or only its missing tail, or not at all when the session had received it and
 * only the answer was lost. When the lost answer is the last chunk's and the session is gone
 * (404: Graph ends it once it made the file), the item at the target's name is looked up and
 * taken when it is this upload's file — told apart from what was there before the session
 * (looked up first) by being new, or a new version with `replace` — since a retry would upload
 * it a second time (a renamed copy, another version, or a 409). After `resumeAttempts`
 * resumes, or when the session cannot say
 * (expired, lost), the session is cancelled (`DELETE {uploadUrl}`) and the attempt fails, so a
 * retry starts a new session from the first byte.
 *
 * @module
 */
import { FileForgeError } from '@fileforge/core';
import { z } from 'zod';
import { expectShape } from './client.js';
import type { ConnectorClient } from './define.js';
import { isTransient, upstream } from './errors.js';
import {
  chunksOf,
  type DriveItem,
  driveItem,
  GRAPH_CHUNK_UNIT,
  type TeamsUploadLimits,
  type UploadTarget,
  uploadPath,
  uploadSmall,
} from './teams-upload.js';
import type { FileSource } from './types.js';

const INTEGRATION = 'teams';

/** The first byte the session still expects, from `nextExpectedRanges` (`["327680-"]`, `["0-99", …]`). */
export function nextExpectedByte(status: unknown): number | undefined {
  const ranges = (status as { nextExpectedRanges?: unknown } | undefined)?.nextExpectedRanges;
  if (!Array.isArray(ranges)) return undefined;
  const starts = ranges
    .map((r) => /^(\d+)-/.exec(String(r))?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number);
  return starts.length === 0 ? undefined : Math.min(...starts);
}

/** A lost chunk worth asking the session about: transient, or a 416 range the session already has. */
function resumable(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return false;
  if (FileForgeError.is(error) && error.details?.status === 416) return true;
  return isTransient(error);
}

/** Uploads `file` into the folder: one PUT when small, an upload session otherwise. */
export async function uploadToFolder(
  client: ConnectorClient,
  target: UploadTarget,
  file: FileSource,
  limits: TeamsUploadLimits,
): Promise<{ item: DriveItem; method: 'simple' | 'session'; chunks: number; resumed: number }> {
  if (file.size <= limits.simpleUploadLimitBytes) {
    return { item: await uploadSmall(client, target, file), method: 'simple', chunks: 1, resumed: 0 };
  }
  return { ...(await uploadInSession(client, target, file, limits)), method: 'session' };
}

/** Uploads `file` through a new upload session; resolves with the driveItem, its chunks and the resumes it took. */
export async function uploadInSession(
  client: ConnectorClient,
  target: UploadTarget,
  file: FileSource,
  limits: TeamsUploadLimits,
): Promise<{ item: DriveItem; chunks: number; resumed: number }> {
  const e = encodeURIComponent;
  const namePath = `drives/${e(target.driveId)}/items/${e(target.folderId)}:/${e(target.name)}`;
  /** The item at the target's name: `null` when none (404), `undefined` when Graph cannot say. */
  const itemAtName = async (): Promise<DriveItem | null | undefined> => {
    const found = await client.request({ method: 'GET', path: namePath, raw: true }).catch(() => undefined);
    if (found?.status === 404) return null;
    const item = found?.status === 200 ? driveItem.safeParse(found.data) : undefined;
    return item?.success ? item.data : undefined;
  };
  // What was at the name before, to tell the file this upload makes from one already there.
  const before = await itemAtName();
  const { data: session } = await client.request({
    path: uploadPath(target, 'createUploadSession'),
    response: z.object({ uploadUrl: z.string() }),
    // a session nobody sees until its last chunk; an abandoned one expires
    idempotent: true,
    json: { item: { '@microsoft.graph.conflictBehavior': target.conflictBehavior, name: target.name } },
  });
  const put = (bytes: Buffer, first: number) =>
    client.request({
      method: 'PUT',
      path: session.uploadUrl,
      body: bytes,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.length),
        'content-range': `bytes ${first}-${first + bytes.length - 1}/${file.size}`,
      },
      // the upload URL is pre-authenticated; a bearer token there can make it answer 401 [doc]
      auth: false,
      // The last chunk makes the file: once it may have, a new session would make it again
      // (a renamed copy or a 409), unless a clash replaces.
      idempotent: first + bytes.length < file.size || target.conflictBehavior === 'replace',
    });
  /**
   * The file this upload made, once the session that had all the bytes is gone (404): the
   * answer to the last chunk was lost after Graph made the file (it ends the session then).
   * Taken only when it can be told from what was there before: nothing was at the name and
   * now a file of this size is, or (`replace`) the same item has a new version of this size.
   * With `rename` or `fail` and a file already at the name, the new file (if any) is elsewhere
   * or was refused: nothing is taken.
   */
  const landed = async (): Promise<DriveItem | undefined> => {
    if (before === undefined) return undefined;
    const now = await itemAtName();
    if (!now || now.size !== file.size) return undefined;
    if (before === null) return now;
    const replaced =
      target.conflictBehavior === 'replace' && now.id === before.id && now.eTag !== before.eTag;
    return replaced ? now : undefined;
  };
  /** Whether the session's status answered 404 (ended, or expired). */
  let sessionGone = false;
  /** Where the session stands; `undefined` when it cannot say (expired, gone, unreachable). */
  const expected = async () => {
    const status = await client
      .request({ method: 'GET', path: session.uploadUrl, auth: false, raw: true })
      .catch(() => undefined);
    sessionGone = status?.status === 404;
    return status?.status === 200 ? nextExpectedByte(status.data) : undefined;
  };
  let chunks = 0;
  let resumed = 0;
  try {
    let offset = 0;
    let item: DriveItem | undefined;
    for await (const chunk of chunksOf(await file.open(client.signal), limits.chunkBytes)) {
      const end = offset + chunk.length;
      if (end > file.size) throw changedWhileUploading(file);
      let from = offset;
      while (from < end) {
        try {
          const response = await put(chunk.subarray(from - offset), from);
          // 202 and the ranges still expected until the last chunk; then the driveItem
          if (response.status === 200 || response.status === 201) {
            item = expectShape(driveItem, response.data, response, INTEGRATION);
          }
          from = end;
        } catch (error) {
          if (!resumable(error, client.signal) || resumed >= limits.resumeAttempts) throw error;
          resumed += 1;
          const next = await expected();
          if (next === undefined && sessionGone && end === file.size) {
            // The last chunk's answer lost: a session gone may mean the file was made.
            const made = await landed();
            if (made) {
              item = made;
              from = end;
              continue;
            }
          }
          // Forward only from this chunk's start (earlier chunks are gone from memory), and
          // on a 320 KiB boundary unless this chunk ends the file.
          const misaligned =
            next !== undefined && next < end && end !== file.size && (next - offset) % GRAPH_CHUNK_UNIT !== 0;
          if (next === undefined || next < offset || misaligned) {
            throw upstream(
              `The upload session of ${file.name} cannot resume at byte ${from} (it expects ${next ?? 'nothing'})`,
              { integration: INTEGRATION },
              { cause: error },
            );
          }
          from = Math.min(next, end);
        }
      }
      offset = end;
      chunks += 1;
    }
    if (!item || offset !== file.size) throw changedWhileUploading(file);
    return { item, chunks, resumed };
  } catch (error) {
    // best effort: an abandoned session would otherwise linger until it expires
    await client
      .request({ method: 'DELETE', path: session.uploadUrl, auth: false, raw: true })
      .catch(() => undefined);
    throw error;
  }
}

function changedWhileUploading(file: FileSource): FileForgeError {
  return upstream(
    `${file.name} did not have the ${file.size} bytes its record declares`,
    { integration: INTEGRATION },
    { retryable: false },
  );
}
