import type { GuardedZip } from '../../archives/zip-guard.js';
import type { PackageParts } from './package-parts.js';
import type { TextCollector } from './text-collector.js';
import { readXmlPart, type XmlVisitor } from './xml-part.js';

/**
 * A visitor that collects the text runs of WordprocessingML (`w:t`) or DrawingML (`a:t`):
 * text inside `t` elements, a newline after each paragraph (`p`), tabs and breaks kept.
 */
export function runTextVisitor(text: TextCollector): XmlVisitor {
  let inRun = false;
  return {
    open(name) {
      if (name === 't') inRun = true;
      else if (name === 'tab') text.append('\t');
      else if (name === 'br' || name === 'cr') text.newline();
    },
    close(name) {
      if (name === 't') inRun = false;
      else if (name === 'p') text.newline();
    },
    text(value) {
      if (inRun) text.append(value);
    },
    done: () => text.full,
  };
}

/** Reads the text of each named part in turn (document body, or slides), stopping once `text` is full. */
export async function readRunText(
  zip: GuardedZip,
  parts: PackageParts,
  names: readonly string[],
  text: TextCollector,
  signal: AbortSignal,
): Promise<void> {
  for (const name of names) {
    const entry = parts.get(name);
    if (!entry || text.full) continue;
    if (!(await readXmlPart(zip, entry, runTextVisitor(text), signal))) text.markTruncated();
    text.newline();
  }
}
