import picomatch from 'picomatch';

/** Name of the claim area inside a watched folder; never scanned, never ingested. */
export const CLAIM_DIR = '.fileforge-claims';

/**
 * Names the watcher never ingests: system litter (`.DS_Store`, `Thumbs.db`, `desktop.ini`),
 * office lock and owner files (`~$report.docx`, `.~lock.report.odt#`), editor swap files,
 * and the partial-download suffixes of browsers and download tools. Extend it rather than
 * replace it: `ignore: [...DEFAULT_WATCH_IGNORE, '*.bak']`.
 */
export const DEFAULT_WATCH_IGNORE: readonly string[] = [
  '.DS_Store',
  'Thumbs.db',
  'desktop.ini',
  '~$*',
  '.~lock.*',
  '*.part',
  '*.crdownload',
  '*.download',
  '*.tmp',
  '*.partial',
  '.*.swp',
];

/**
 * Builds the ignore test for relative posix paths. A pattern without `/` is matched against
 * the file's name (at any depth), one with `/` against the whole relative path. The claim
 * area is always ignored.
 */
export function createIgnore(
  patterns: readonly string[] = DEFAULT_WATCH_IGNORE,
): (relativePath: string) => boolean {
  const byName = patterns.filter((p) => !p.includes('/'));
  const byPath = patterns.filter((p) => p.includes('/'));
  const options = { dot: true, nocase: false };
  const nameMatch = byName.length > 0 ? picomatch(byName, options) : () => false;
  const pathMatch = byPath.length > 0 ? picomatch(byPath, options) : () => false;
  return (relativePath) => {
    const parts = relativePath.split('/');
    if (parts[0] === CLAIM_DIR) return true;
    return nameMatch(parts[parts.length - 1] ?? '') || pathMatch(relativePath);
  };
}
