import type { GuardedZip } from '../../archives/zip-guard.js';
import { rejectContent } from '../../reject-content.js';
import type { OfficeFormat, OfficeSheet } from './office-metadata.js';
import type { PackageParts } from './package-parts.js';
import type { TextCollector } from './text-collector.js';
import { readXmlPart, type XmlVisitor } from './xml-part.js';

/** What an ODF `content.xml` adds to the office metadata. */
export interface OdfFacts {
  sheets?: OfficeSheet[];
  slideCount?: number;
}

const MAX_SPACES = 100;

/** Collects `text:p` / `text:h` paragraphs, honouring `text:s` (spaces), `text:tab` and `text:line-break`. */
function paragraphVisitor(text: TextCollector): XmlVisitor {
  let depth = 0;
  return {
    open(name, attributes) {
      if (name === 'p' || name === 'h') depth++;
      else if (depth > 0 && name === 's')
        text.append(' '.repeat(Math.min(Number(attributes.c ?? 1) || 1, MAX_SPACES)));
      else if (depth > 0 && name === 'tab') text.append('\t');
      else if (depth > 0 && name === 'line-break') text.newline();
    },
    close(name) {
      if (name === 'p' || name === 'h') {
        depth--;
        text.newline();
      }
    },
    text(value) {
      if (depth > 0) text.append(value);
    },
  };
}

/**
 * Counts rows of top-level `table:table` elements, expanding `table:number-rows-repeated`
 * only for rows that hold a value or text (LibreOffice pads sheets with a million repeated
 * empty rows).
 */
function sheetVisitor(sheets: OfficeSheet[]): XmlVisitor {
  let tables = 0;
  let repeat = 1;
  let filled = false;
  return {
    open(name, attributes) {
      if (name === 'table' && ++tables === 1) sheets.push({ name: attributes.name ?? '', rows: 0 });
      else if (tables === 1 && name === 'table-row') {
        repeat = Number(attributes['number-rows-repeated'] ?? 1) || 1;
        filled = false;
      } else if (tables === 1 && name === 'table-cell' && attributes['value-type']) filled = true;
    },
    close(name) {
      const sheet = sheets.at(-1);
      if (name === 'table') tables--;
      else if (tables === 1 && name === 'table-row' && filled && sheet?.rows != null) sheet.rows += repeat;
    },
    text(value) {
      if (tables === 1 && value.trim() !== '') filled = true;
    },
  };
}

/**
 * Reads an ODF `content.xml`: paragraph text for every format, plus sheets and row counts
 * (ods) or the number of `draw:page` slides (odp). Text-only reading stops once `text` is full.
 */
export async function readOdfContent(
  zip: GuardedZip,
  parts: PackageParts,
  format: OfficeFormat,
  text: TextCollector,
  signal: AbortSignal,
): Promise<OdfFacts> {
  const entry = parts.get('content.xml');
  if (!entry) {
    throw rejectContent('office', 'corrupt_document', 'Document rejected (corrupt_document): no content.xml');
  }
  const paragraphs = paragraphVisitor(text);
  const sheets: OfficeSheet[] = [];
  const tables = sheetVisitor(sheets);
  let slideCount = 0;
  const complete = await readXmlPart(
    zip,
    entry,
    {
      open(name, attributes) {
        paragraphs.open?.(name, attributes);
        if (format === 'ods') tables.open?.(name, attributes);
        if (format === 'odp' && name === 'page') slideCount++;
      },
      close(name) {
        paragraphs.close?.(name);
        if (format === 'ods') tables.close?.(name);
      },
      text(value) {
        paragraphs.text?.(value);
        if (format === 'ods') tables.text?.(value);
      },
      done: () => format !== 'ods' && format !== 'odp' && text.full,
    },
    signal,
  );
  if (!complete) {
    text.markTruncated();
    const last = sheets.at(-1); // the table being read when the part was left
    if (last) last.rows = null;
  }
  if (format === 'ods') return { sheets };
  if (format === 'odp') return { slideCount };
  return {};
}
