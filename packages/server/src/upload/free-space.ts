import { ErrorCode, FileForgeError, type Forge } from '@fileforge/core';

/**
 * The disk-full preflight: when the request declares its length and the blob store can tell
 * its free space cheaply (`BlobStore.space`), a body that cannot fit (keeping `reserveBytes`
 * free) is refused with 507 `INSUFFICIENT_STORAGE` before a byte of it is read. The declared
 * length is the whole multipart body, a little more than the files in it: the check errs on
 * the side of refusing only what cannot fit. Without a length, or a store that cannot tell,
 * nothing is checked here and a full disk is met mid-stream (ENOSPC → 507, partial removed).
 * A store that fails to report its space is not refused for that.
 *
 * @returns the refusal, or `null` to go ahead
 */
export async function refuseWithoutSpace(
  forge: Pick<Forge, 'blobs'>,
  declaredLength: number,
  reserveBytes = 0,
): Promise<FileForgeError | null> {
  if (!Number.isFinite(declaredLength) || !forge.blobs.space) return null;
  const space = await forge.blobs.space().catch(() => undefined);
  const free = space?.freeBytes;
  if (free === undefined || free - reserveBytes >= declaredLength) return null;
  return new FileForgeError(ErrorCode.INSUFFICIENT_STORAGE, 'Not enough free storage for this upload', {
    details: { declaredBytes: declaredLength },
  });
}
