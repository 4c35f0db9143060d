import type { GuardedZip } from '../../archives/zip-guard.js';
import { rejectContent } from '../../reject-content.js';
import type { PackageParts } from './package-parts.js';
import { readXmlPart } from './xml-part.js';

/** What `[Content_Types].xml` says about an OOXML package. */
export interface ContentTypes {
  /** Part name (no leading `/`) → content type, from `Override` elements. */
  readonly overrides: ReadonlyMap<string, string>;
  /** The main document part (`word/document.xml`, `xl/workbook.xml`, `ppt/presentation.xml`, …). */
  readonly main: string | undefined;
  /** A VBA project or a macro-enabled content type is declared. */
  readonly macros: boolean;
}

/** Part names whose content type ends with `suffix`, in natural order (`slide2` before `slide10`). */
export function partsOfType(types: ContentTypes, suffix: string): string[] {
  return [...types.overrides]
    .filter(([, type]) => type.endsWith(suffix))
    .map(([part]) => part)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Reads `[Content_Types].xml`, which every OOXML package has (file-type recognised the file
 * by it). Parsing it, rather than only trusting fixed paths, finds the main part wherever the
 * producer put it and puts this part under the same DOCTYPE refusal as the others.
 */
export async function readContentTypes(
  zip: GuardedZip,
  parts: PackageParts,
  signal: AbortSignal,
): Promise<ContentTypes> {
  const entry = parts.get('[Content_Types].xml');
  if (!entry) {
    throw rejectContent(
      'office',
      'corrupt_document',
      'Document rejected (corrupt_document): no [Content_Types].xml',
    );
  }
  const overrides = new Map<string, string>();
  let macros = parts.some(/(^|\/)vbaproject\.bin$/);
  await readXmlPart(
    zip,
    entry,
    {
      open(name, attributes) {
        const type = attributes.ContentType ?? '';
        if (/vbaProject|macroEnabled/i.test(type)) macros = true;
        if (name === 'Override' && attributes.PartName) {
          overrides.set(attributes.PartName.replace(/^\//, ''), type);
        }
      },
    },
    signal,
  );
  const main = [...overrides].find(([, type]) => type.endsWith('.main+xml'))?.[0];
  return { overrides, main, macros };
}
