import type { GuardedZip } from '../../archives/zip-guard.js';
import { rejectContent } from '../../reject-content.js';
import { readOdfContent } from './odf.js';
import type { OfficeFormat, OfficeMetadata, OfficeProperties } from './office-metadata.js';
import { partsOfType, readContentTypes } from './ooxml-content-types.js';
import { readSpreadsheet, SHARED_STRINGS } from './ooxml-spreadsheet.js';
import { readRunText } from './ooxml-text.js';
import type { PackageParts } from './package-parts.js';
import { APP_FIELDS, CORE_FIELDS, ODF_FIELDS, readProperties } from './properties.js';
import { TextCollector } from './text-collector.js';

/** Limits of one document read. */
export interface ReadLimits {
  maxTextChars: number;
  maxSharedStrings: number;
}

const DEFAULT_MAIN: Readonly<Record<string, string>> = {
  docx: 'word/document.xml',
  xlsx: 'xl/workbook.xml',
  pptx: 'ppt/presentation.xml',
};

const SLIDE = 'presentationml.slide+xml';

/** Reads an OOXML package (docx, xlsx, pptx): content types, properties, then text and structure. */
export async function readOoxml(
  zip: GuardedZip,
  parts: PackageParts,
  format: OfficeFormat,
  limits: ReadLimits,
  signal: AbortSignal,
): Promise<OfficeMetadata> {
  const types = await readContentTypes(zip, parts, signal);
  const properties: OfficeProperties = {};
  await readProperties(zip, parts.get('docProps/core.xml'), CORE_FIELDS, properties, signal);
  await readProperties(zip, parts.get('docProps/app.xml'), APP_FIELDS, properties, signal);
  const main = types.main ?? DEFAULT_MAIN[format] ?? '';
  if (!parts.get(main)) {
    throw rejectContent(
      'office',
      'corrupt_document',
      `Document rejected (corrupt_document): main part "${main}" is missing`,
    );
  }
  const text = new TextCollector(limits.maxTextChars);
  const base = { format, ...properties, hasMacros: types.macros };
  if (format === 'xlsx') {
    const shared = partsOfType(types, SHARED_STRINGS)[0];
    const facts = await readSpreadsheet(zip, parts, main, shared, limits.maxSharedStrings, text, signal);
    return { ...base, ...text.result(), ...facts };
  }
  if (format === 'pptx') {
    const slides = partsOfType(types, SLIDE);
    await readRunText(zip, parts, slides, text, signal);
    return { ...base, ...text.result(), slideCount: slides.length };
  }
  await readRunText(zip, parts, [main], text, signal);
  return { ...base, ...text.result() };
}

/** Reads an ODF package (odt, ods, odp): `meta.xml` properties and `content.xml`. */
export async function readOdf(
  zip: GuardedZip,
  parts: PackageParts,
  format: OfficeFormat,
  limits: ReadLimits,
  signal: AbortSignal,
): Promise<OfficeMetadata> {
  const properties: OfficeProperties = {};
  await readProperties(zip, parts.get('meta.xml'), ODF_FIELDS, properties, signal);
  const text = new TextCollector(limits.maxTextChars);
  const facts = await readOdfContent(zip, parts, format, text, signal);
  // ODF keeps macros (Basic, scripts) in their own folders
  const hasMacros = parts.some(/^(basic|scripts)\//);
  return { format, ...properties, hasMacros, ...text.result(), ...facts };
}
