/** What `fileforge fsck` can find wrong, one kind per check. */
export type FsckProblemKind =
  /** A stored blob no file or derivative record references, older than the grace period. */
  | 'orphan-blob'
  /** A file record whose blob is gone. */
  | 'blob-missing'
  /** A file record whose blob no longer hashes to its SHA-256 (or cannot be read back). */
  | 'sha256-mismatch'
  /** A derivative whose parent file record is gone. */
  | 'derivative-orphan'
  /** A derivative whose blob is gone or no longer matches its SHA-256. */
  | 'derivative-damaged'
  /** A sorted file has no entry at its place in `SORTED_FOLDER`. */
  | 'sorted-missing'
  /** Something other than the file's content sits at its place in `SORTED_FOLDER`. */
  | 'sorted-mismatch'
  /** A hard link to a stored blob sits in `SORTED_FOLDER` where no record says it belongs. */
  | 'sorted-stray';

/** One problem, with what `--repair` did about it. */
export interface FsckProblem {
  kind: FsckProblemKind;
  /** Blob key concerned, when there is one. */
  key?: string;
  tenant?: string;
  fileId?: string;
  /** Derivative name, for derivative problems. */
  name?: string;
  /** Sorted path (relative to the tenant's folder), for sorted-tree problems. */
  path?: string;
  /** Human detail (an error code, the hash found). */
  detail?: string;
  /**
   * What repair did: `removed` (orphan blob or derivative row), `marked-damaged`, `relinked`;
   * absent when nothing was done (read-only run, or a problem repair leaves to a person).
   */
  repaired?: 'removed' | 'marked-damaged' | 'relinked';
}

/** The result of {@link runFsck}. */
export interface FsckReport {
  /** How much was looked at. */
  checked: { files: number; derivatives: number; blobs: number; sortedEntries: number };
  problems: FsckProblem[];
  /** Checks that could not run, and why (e.g. a blob store that cannot list its blobs). */
  skipped: string[];
  /** Temp files older than the grace period removed by `--repair`. */
  tempRemoved: number;
}
