import { statfs } from 'node:fs/promises';

/** One mebibyte; every "MB" the bench prints is this unit. */
export const MiB = 1024 ** 2;

/** The smallest size automatic scaling goes down to. */
export const MIN_SCALED_BYTES = 64 * MiB;

/** The input size a suite will use, and why it differs from the request when it does. */
export interface SizePlan {
  bytes: number;
  requested: number;
  freeBytes: number;
  /** Set when the request was scaled down to fit the free space. */
  note?: string;
}

/** Free bytes available to an unprivileged user on the filesystem holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
}

/**
 * Halves `requested` until `copies` times it fits in the free space of `dir` (never below
 * 64 MiB, or the request if that is smaller). A suite holds the input plus a stored copy per
 * subject, so `copies` defaults to 3.
 */
export async function fitSize(dir: string, requested: number, copies = 3): Promise<SizePlan> {
  const free = await freeBytes(dir);
  const floor = Math.min(requested, MIN_SCALED_BYTES);
  let bytes = requested;
  while (bytes * copies > free && bytes > floor) bytes = Math.max(floor, Math.floor(bytes / 2));
  if (bytes * copies > free) {
    throw new Error(
      `[bench:disk] ${formatMiB(free)} free in ${dir} is not enough for ${copies} × ${formatMiB(bytes)}; free some space or set TMPDIR`,
    );
  }
  const plan: SizePlan = { bytes, requested, freeBytes: free };
  if (bytes !== requested) {
    plan.note = `only ${formatMiB(free)} free in ${dir}: scaled the input down from ${formatMiB(requested)} to ${formatMiB(bytes)}`;
  }
  return plan;
}

/** `1024 MiB`-style label; odd sizes of a gigabyte or more read better as `79.0 GiB`. */
export function formatMiB(bytes: number): string {
  const mib = bytes / MiB;
  if (Number.isInteger(mib)) return `${mib} MiB`;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib.toFixed(1)} MiB`;
}
