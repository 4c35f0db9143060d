/** What the watcher saw of one file at one scan. */
export interface FileObservation {
  size: number;
  mtimeMs: number;
}

interface Tracked extends FileObservation {
  /** When the file was first seen with this size and mtime. */
  since: number;
}

/** The verdict of one scan: files ready to claim, and when the next is due. */
export interface StabilityVerdict {
  /** Unchanged for the whole window: safe to claim. */
  ready: string[];
  /** Earliest time (ms, the injected clock) a file still settling could become ready; null if none. */
  nextDueAt: number | null;
}

/**
 * Decides when a file is fully written: only once its size and mtime have stayed the same for
 * `stabilityMs`. A file seen for the first time always waits a full window, even with an old
 * mtime, because copies often keep the source's mtime while they are still being written.
 */
export function createStabilityTracker(stabilityMs: number) {
  const files = new Map<string, Tracked>();
  return {
    /** Feeds one complete scan (path → observation) taken at `now`. */
    observe(seen: ReadonlyMap<string, FileObservation>, now: number): StabilityVerdict {
      for (const path of files.keys()) if (!seen.has(path)) files.delete(path);
      const ready: string[] = [];
      let nextDueAt: number | null = null;
      for (const [path, o] of seen) {
        const prev = files.get(path);
        if (!prev || prev.size !== o.size || prev.mtimeMs !== o.mtimeMs) {
          files.set(path, { size: o.size, mtimeMs: o.mtimeMs, since: now });
        }
        const since = files.get(path)!.since;
        if (now - since >= stabilityMs) ready.push(path);
        else nextDueAt = Math.min(nextDueAt ?? Number.POSITIVE_INFINITY, since + stabilityMs);
      }
      return { ready, nextDueAt };
    },
    /** The observation a ready file was judged on, to confirm nothing changed at claim time. */
    get(path: string): FileObservation | undefined {
      return files.get(path);
    },
    /** Forgets a file (claimed, or gone). */
    forget(path: string): void {
      files.delete(path);
    },
  };
}

/** The tracker {@link createStabilityTracker} returns. */
export type StabilityTracker = ReturnType<typeof createStabilityTracker>;
