/**
 * Links inside archives. FileForge never extracts an archive to a filesystem, so a link is
 * harmless to it: links are listed with their targets, and a target that would reach
 * outside the folder the archive unpacks into, were someone to unpack it, is flagged. Only
 * an operation that reads an entry's data as a file refuses links (`archive_symlink`).
 */

/** How a link entry is listed under `entries[].link`. */
export interface ArchiveLink {
  /** `symlink` (tar `SYMTYPE`, or a zip entry whose Unix mode is `S_IFLNK`) or `hardlink` (tar `LNKTYPE`). */
  type: 'symlink' | 'hardlink';
  /** The target as stored (metadata only; never resolved on disk). */
  target: string;
  /**
   * Set when unpacking would make the link reach outside the unpack folder: `absolute`
   * (`/etc/passwd`, `C:\…`, `\\server\…`) or `escapes` (enough `..` segments to climb out);
   * `unreadable` for a zip link whose target is encrypted or longer than
   * {@link MAX_LINK_TARGET_BYTES} (listed with an empty `target`).
   */
  unsafe?: 'absolute' | 'escapes' | 'unreadable';
}

/** Longest link target read from a zip entry; longer ones are listed as unsafe without their data. */
export const MAX_LINK_TARGET_BYTES = 4096;

/**
 * Why a link's target is unsafe, or `undefined`. A symbolic link resolves from the folder
 * that holds it; a hard link (tar) names another entry from the archive root.
 */
export function unsafeLinkTarget(
  entryName: string,
  target: string,
  type: ArchiveLink['type'],
): 'absolute' | 'escapes' | undefined {
  if (target.startsWith('/') || target.startsWith('\\') || /^[a-zA-Z]:/.test(target)) return 'absolute';
  const base = type === 'symlink' ? entryName.replace(/\/+$/, '').split('/').slice(0, -1) : [];
  let depth = base.filter((part) => part !== '' && part !== '.').length;
  for (const part of target.split(/[/\\]/)) {
    if (part === '..') depth -= 1;
    else if (part !== '' && part !== '.') depth += 1;
    if (depth < 0) return 'escapes';
  }
  return undefined;
}

/** The listed form of a link entry. */
export function describeLink(entryName: string, target: string, type: ArchiveLink['type']): ArchiveLink {
  const unsafe = unsafeLinkTarget(entryName, target, type);
  return { type, target, ...(unsafe ? { unsafe } : {}) };
}
