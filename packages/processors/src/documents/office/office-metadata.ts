/** The office formats read through the zip guard. */
export type OfficeFormat = 'docx' | 'xlsx' | 'pptx' | 'odt' | 'ods' | 'odp';

/**
 * Document properties: OOXML `docProps/core.xml` + `docProps/app.xml`, or ODF `meta.xml`
 * (`meta:initial-creator` → `creator`, `dc:creator` → `lastModifiedBy`, `meta:generator` →
 * `application`). Absent ones are omitted; strings are trimmed and capped at 1,000 characters,
 * dates are ISO 8601 (a date without a zone is read as UTC).
 */
export type OfficeProperties = {
  title?: string;
  subject?: string;
  creator?: string;
  keywords?: string;
  description?: string;
  lastModifiedBy?: string;
  created?: string;
  modified?: string;
  application?: string;
  pages?: number;
  words?: number;
};

/** One worksheet (or ODF table) and how many rows hold data. */
export type OfficeSheet = { name: string; rows: number | null };

/** What the office processor stores under `metadata.office` for OOXML and ODF files. */
export type OfficeMetadata = OfficeProperties & {
  format: OfficeFormat;
  /** Body text, paragraphs separated by `\n`, at most `maxTextChars` characters. */
  text: string;
  /** The document has more text than `text` holds. */
  textTruncated: boolean;
  /** OOXML: a VBA project or macro-enabled content type is present (ODF: a `Basic/` folder). */
  hasMacros: boolean;
  /** Spreadsheets: sheets in workbook order. */
  sheets?: OfficeSheet[];
  /** xlsx: the first `maxSharedStrings` shared strings. */
  sharedStrings?: string[];
  /** xlsx: how many shared strings there are in all. */
  sharedStringCount?: number;
  /** Presentations: number of slides. */
  slideCount?: number;
};

/** What the office processor stores for legacy binary (OLE/CFB) files: the format is guessed from the name. */
export type LegacyOfficeMetadata = {
  format: 'doc' | 'xls' | 'ppt' | 'unknown-ole';
  extracted: false;
};
