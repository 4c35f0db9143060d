import { posix } from 'node:path';
import type { GuardedZip, ZipEntryInfo } from '../../archives/zip-guard.js';

/** Looks up package parts by name; OPC part names compare case-insensitively. */
export class PackageParts {
  readonly #byName = new Map<string, ZipEntryInfo>();

  constructor(zip: GuardedZip) {
    for (const entry of zip.entries) {
      if (!entry.isDirectory) this.#byName.set(entry.name.toLowerCase(), entry);
    }
  }

  /** The entry named `name` (with or without a leading `/`). */
  get(name: string): ZipEntryInfo | undefined {
    return this.#byName.get(name.replace(/^\//, '').toLowerCase());
  }

  /** True when some part's name matches `pattern`. */
  some(pattern: RegExp): boolean {
    for (const name of this.#byName.keys()) if (pattern.test(name)) return true;
    return false;
  }

  /**
   * Resolves a relationship target against the folder of `source` (`xl/workbook.xml` +
   * `worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`; `/…` is absolute). A target that
   * climbs out of the package resolves to nothing.
   */
  resolve(source: string, target: string): ZipEntryInfo | undefined {
    const joined = target.startsWith('/') ? target : posix.join(posix.dirname(source), target);
    const normalized = posix.normalize(joined).replace(/^\//, '');
    return normalized.startsWith('..') ? undefined : this.get(normalized);
  }
}
