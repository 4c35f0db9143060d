import { posix } from 'node:path';
import type { GuardedZip } from '../../archives/zip-guard.js';
import type { OfficeSheet } from './office-metadata.js';
import type { PackageParts } from './package-parts.js';
import type { TextCollector } from './text-collector.js';
import { readXmlPart } from './xml-part.js';

/** Content-type suffix of the shared-strings part. */
export const SHARED_STRINGS = 'spreadsheetml.sharedStrings+xml';

const MAX_STRING_CHARS = 1000;

/** What an xlsx adds to the office metadata. */
export interface SpreadsheetFacts {
  sheets: OfficeSheet[];
  sharedStrings: string[];
  sharedStringCount: number;
}

/** Maps relationship ids to targets from the `_rels/<name>.rels` part next to `source`. */
async function readRelationships(zip: GuardedZip, parts: PackageParts, source: string, signal: AbortSignal) {
  const targets = new Map<string, string>();
  const rels = parts.get(posix.join(posix.dirname(source), '_rels', `${posix.basename(source)}.rels`));
  if (!rels) return targets;
  await readXmlPart(
    zip,
    rels,
    {
      open(name, attributes) {
        if (name === 'Relationship' && attributes.Id && attributes.Target)
          targets.set(attributes.Id, attributes.Target);
      },
    },
    signal,
  );
  return targets;
}

/** Sheet names and their part targets, in workbook order. */
async function readSheetList(zip: GuardedZip, parts: PackageParts, workbook: string, signal: AbortSignal) {
  const entry = parts.get(workbook);
  const sheets: { name: string; rid: string }[] = [];
  if (!entry) return sheets;
  await readXmlPart(
    zip,
    entry,
    {
      open(name, attributes) {
        if (name === 'sheet') sheets.push({ name: attributes.name ?? '', rid: attributes.id ?? '' });
      },
    },
    signal,
  );
  return sheets;
}

async function countRows(
  zip: GuardedZip,
  parts: PackageParts,
  part: string | undefined,
  signal: AbortSignal,
) {
  const entry = part === undefined ? undefined : parts.get(part);
  if (!entry) return null;
  let rows = 0;
  const visitor = {
    close(name: string) {
      if (name === 'row') rows++;
    },
  };
  // A part left at something too large to hold has rows past it: the count is not known.
  return (await readXmlPart(zip, entry, visitor, signal)) ? rows : null;
}

/**
 * Reads an xlsx: sheet names (workbook order), the row count of each sheet (every `row`
 * element, streamed; Excel writes only rows that hold something) and the shared strings,
 * keeping the first `maxSharedStrings` (each cut at 1,000 characters) and feeding them all to `text` (phonetic runs left out).
 */
export async function readSpreadsheet(
  zip: GuardedZip,
  parts: PackageParts,
  workbook: string,
  sharedStringsPart: string | undefined,
  maxSharedStrings: number,
  text: TextCollector,
  signal: AbortSignal,
): Promise<SpreadsheetFacts> {
  const list = await readSheetList(zip, parts, workbook, signal);
  const targets = await readRelationships(zip, parts, workbook, signal);
  const sheets: OfficeSheet[] = [];
  for (const { name, rid } of list) {
    const target = targets.get(rid);
    const part = target === undefined ? undefined : parts.resolve(workbook, target)?.name;
    sheets.push({ name, rows: await countRows(zip, parts, part, signal) });
  }
  const sharedStrings: string[] = [];
  let sharedStringCount = 0;
  const entry = parts.get(sharedStringsPart ?? posix.join(posix.dirname(workbook), 'sharedStrings.xml'));
  if (entry) {
    let current = '';
    let inText = false;
    let phonetic = 0;
    const complete = await readXmlPart(
      zip,
      entry,
      {
        open(name) {
          if (name === 'si') current = '';
          else if (name === 'rPh') phonetic++;
          else if (name === 't') inText = phonetic === 0;
        },
        text(value) {
          if (inText && sharedStrings.length < maxSharedStrings && current.length < MAX_STRING_CHARS) {
            current += value;
          }
          if (inText) text.append(value);
        },
        close(name) {
          if (name === 't') inText = false;
          else if (name === 'rPh') phonetic--;
          else if (name === 'si') {
            sharedStringCount++;
            if (sharedStrings.length < maxSharedStrings)
              sharedStrings.push(current.slice(0, MAX_STRING_CHARS));
            text.newline();
          }
        },
      },
      signal,
    );
    if (!complete) text.markTruncated();
  }
  return { sheets, sharedStrings, sharedStringCount };
}
