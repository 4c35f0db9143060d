import type { GuardedZip, ZipEntryInfo } from '../../archives/zip-guard.js';
import type { OfficeProperties } from './office-metadata.js';
import { readXmlPart } from './xml-part.js';

type Kind = 'text' | 'date' | 'int';
type Fields = Readonly<Record<string, readonly [keyof OfficeProperties, Kind]>>;

const MAX_PROPERTY_CHARS = 1000;

/** `docProps/core.xml` (Dublin Core + OPC core properties). */
export const CORE_FIELDS: Fields = {
  title: ['title', 'text'],
  subject: ['subject', 'text'],
  creator: ['creator', 'text'],
  keywords: ['keywords', 'text'],
  description: ['description', 'text'],
  lastModifiedBy: ['lastModifiedBy', 'text'],
  created: ['created', 'date'],
  modified: ['modified', 'date'],
};

/** `docProps/app.xml` (extended properties). */
export const APP_FIELDS: Fields = {
  Application: ['application', 'text'],
  Pages: ['pages', 'int'],
  Words: ['words', 'int'],
};

/** ODF `meta.xml`; `meta:document-statistic` attributes are read separately. */
export const ODF_FIELDS: Fields = {
  title: ['title', 'text'],
  subject: ['subject', 'text'],
  description: ['description', 'text'],
  'initial-creator': ['creator', 'text'],
  creator: ['lastModifiedBy', 'text'],
  keyword: ['keywords', 'text'],
  'creation-date': ['created', 'date'],
  date: ['modified', 'date'],
  generator: ['application', 'text'],
};

function convert(kind: Kind, raw: string): string | number | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (kind === 'int') return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
  if (kind === 'date') {
    // ODF writes local times without a zone; read them as UTC so results do not depend on the server
    const zoned = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(value) ? `${value}Z` : value;
    const date = new Date(zoned);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  return value.slice(0, MAX_PROPERTY_CHARS);
}

function assign(into: OfficeProperties, key: keyof OfficeProperties, value: string | number): void {
  const previous = into[key];
  // ODF lists each keyword in its own element
  const next = key === 'keywords' && typeof previous === 'string' ? `${previous}, ${value}` : value;
  (into as Record<string, unknown>)[key] = next;
}

/**
 * Reads the properties named by `fields` from one XML part into `into` (elements at any
 * depth, matched by local name). A missing part adds nothing.
 */
export async function readProperties(
  zip: GuardedZip,
  entry: ZipEntryInfo | undefined,
  fields: Fields,
  into: OfficeProperties,
  signal: AbortSignal,
): Promise<void> {
  if (!entry) return;
  let field: (typeof fields)[string] | undefined;
  let value = '';
  await readXmlPart(
    zip,
    entry,
    {
      open(name, attributes) {
        if (name === 'document-statistic') {
          const pages = convert('int', attributes['page-count'] ?? '');
          const words = convert('int', attributes['word-count'] ?? '');
          if (pages !== undefined) assign(into, 'pages', pages);
          if (words !== undefined) assign(into, 'words', words);
        }
        field = Object.hasOwn(fields, name) ? fields[name] : undefined;
        value = '';
      },
      text(text) {
        if (field && value.length < MAX_PROPERTY_CHARS) value += text;
      },
      close() {
        const converted = field && convert(field[1], value);
        if (field && converted !== undefined) assign(into, field[0], converted);
        field = undefined;
      },
    },
    signal,
  );
}
