import { buildZip, contentTypes, type ZipEntrySpec } from '@fileforge/test-fixtures/zip';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const OOXML = 'application/vnd.openxmlformats-officedocument';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** `docProps/core.xml` with the given Dublin Core / OPC properties. */
export function coreXml(props: Record<string, string>): string {
  const tags: Record<string, string> = {
    title: 'dc:title',
    creator: 'dc:creator',
    subject: 'dc:subject',
    keywords: 'cp:keywords',
    lastModifiedBy: 'cp:lastModifiedBy',
    created: 'dcterms:created',
    modified: 'dcterms:modified',
  };
  const body = Object.entries(props)
    .map(([key, value]) => `<${tags[key]}>${escapeXml(value)}</${tags[key]}>`)
    .join('');
  return (
    `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${body}</cp:coreProperties>`
  );
}

const appXml = (app: string, extra = '') =>
  `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${app}</Application>${extra}</Properties>`;

const rootRels = (main: string) =>
  `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${R}/officeDocument" Target="${main}"/></Relationships>`;

/** `word/document.xml` with one `w:p` per paragraph. */
export const documentXml = (paragraphs: readonly string[]) =>
  `${XML}<w:document xmlns:w="${W}"><w:body>${paragraphs
    .map((p) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(p)}</w:t></w:r></w:p>`)
    .join('')}</w:body></w:document>`;

/** Options of {@link docx}: replace any part by name, or add entries. */
export interface DocxOptions {
  title?: string;
  paragraphs?: readonly string[];
  parts?: Record<string, string>;
  /** Part name → uncompressed size to declare in the central directory (a lie). */
  declared?: Record<string, number>;
  extra?: readonly ZipEntrySpec[];
  /** Part name → target: that part is stored as a symbolic link to the target instead. */
  symlinks?: Record<string, string>;
}

/** A minimal Word document: content types first (as file-type expects), then rels, properties and body. */
export function docx(options: DocxOptions = {}): Buffer {
  const parts: Record<string, string> = {
    '[Content_Types].xml': contentTypes({
      '/word/document.xml': `${OOXML}.wordprocessingml.document.main+xml`,
      '/docProps/core.xml': 'application/vnd.openxmlformats-package.core-properties+xml',
    }),
    '_rels/.rels': rootRels('word/document.xml'),
    'docProps/core.xml': coreXml({
      title: options.title ?? 'Quarterly report',
      creator: 'Ada Lovelace',
      keywords: 'finance, q3',
      created: '2024-03-01T09:00:00Z',
      modified: '2024-03-02T10:30:00Z',
      lastModifiedBy: 'Grace Hopper',
    }),
    'docProps/app.xml': appXml('Microsoft Office Word', '<Pages>2</Pages><Words>4</Words>'),
    'word/document.xml': documentXml(options.paragraphs ?? ['FileForge invoice 42', 'Total: 100 EUR']),
    ...options.parts,
  };
  const entries = Object.entries(parts).map(([name, data]) => {
    const target = options.symlinks?.[name];
    if (target !== undefined) return { name, data: target, unixMode: 0o120777 };
    return { name, data, size: options.declared?.[name] };
  });
  return buildZip([...entries, ...(options.extra ?? [])]);
}

const sheetXml = (rows: readonly (readonly number[])[]) =>
  `${XML}<worksheet xmlns="${S}"><sheetData>${rows
    .map((cells, r) => `<row r="${r + 1}">${cells.map((v) => `<c t="s"><v>${v}</v></c>`).join('')}</row>`)
    .join('')}</sheetData></worksheet>`;

/** A workbook with sheets "Revenue" (3 rows) and "Costs" (2 rows) and four shared strings. */
export function xlsx(): Buffer {
  const shared = ['Region', 'North', 'South', 'Rent'];
  const parts: Record<string, string> = {
    '[Content_Types].xml': contentTypes({
      '/xl/workbook.xml': `${OOXML}.spreadsheetml.sheet.main+xml`,
      '/xl/worksheets/sheet1.xml': `${OOXML}.spreadsheetml.worksheet+xml`,
      '/xl/worksheets/sheet2.xml': `${OOXML}.spreadsheetml.worksheet+xml`,
      '/xl/sharedStrings.xml': `${OOXML}.spreadsheetml.sharedStrings+xml`,
    }),
    '_rels/.rels': rootRels('xl/workbook.xml'),
    'docProps/core.xml': coreXml({ title: 'Budget 2024' }),
    'xl/workbook.xml': `${XML}<workbook xmlns="${S}" xmlns:r="${R}"><sheets><sheet name="Revenue" sheetId="1" r:id="rId1"/><sheet name="Costs" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="${R}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="${R}/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': sheetXml([[0], [1], [2]]),
    'xl/worksheets/sheet2.xml': sheetXml([[3], [3]]),
    'xl/sharedStrings.xml': `${XML}<sst xmlns="${S}" count="4" uniqueCount="4">${shared
      .map((s, i) =>
        i === 3
          ? `<si><r><t>Re</t></r><r><t>nt</t></r><rPh><t>レント</t></rPh></si>`
          : `<si><t>${s}</t></si>`,
      )
      .join('')}</sst>`,
  };
  return buildZip(Object.entries(parts).map(([name, data]) => ({ name, data })));
}

const slideXml = (text: string) =>
  `${XML}<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="${A}"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>${escapeXml(text)}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;

/** A presentation with slides 1, 2 and 10 (natural order matters). */
export function pptx(): Buffer {
  const slide = `${OOXML}.presentationml.slide+xml`;
  const parts: Record<string, string> = {
    '[Content_Types].xml': contentTypes({
      '/ppt/presentation.xml': `${OOXML}.presentationml.presentation.main+xml`,
      '/ppt/slides/slide10.xml': slide,
      '/ppt/slides/slide1.xml': slide,
      '/ppt/slides/slide2.xml': slide,
    }),
    '_rels/.rels': rootRels('ppt/presentation.xml'),
    'docProps/core.xml': coreXml({ title: 'Roadmap' }),
    'ppt/presentation.xml': `${XML}<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`,
    'ppt/slides/slide1.xml': slideXml('Welcome to FileForge'),
    'ppt/slides/slide2.xml': slideXml('Second slide'),
    'ppt/slides/slide10.xml': slideXml('Tenth slide'),
  };
  return buildZip(Object.entries(parts).map(([name, data]) => ({ name, data })));
}

const ODF_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"';

/** An ODF package: `mimetype` stored first (as ODF and file-type require), then manifest, meta and content. */
export function odf(mimetype: string, body: string, meta = ''): Buffer {
  return buildZip([
    { name: 'mimetype', data: mimetype, method: 'store' },
    {
      name: 'META-INF/manifest.xml',
      data: `${XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`,
    },
    {
      name: 'meta.xml',
      data: `${XML}<office:document-meta ${ODF_NS}><office:meta>${meta}</office:meta></office:document-meta>`,
    },
    {
      name: 'content.xml',
      data: `${XML}<office:document-content ${ODF_NS}><office:body>${body}</office:body></office:document-content>`,
    },
  ]);
}

/** A text document titled "Minutes" with two paragraphs. */
export const odt = () =>
  odf(
    'application/vnd.oasis.opendocument.text',
    '<office:text><text:h>Minutes</text:h><text:p>FileForge<text:s text:c="2"/>meeting<text:tab/>notes</text:p></office:text>',
    '<dc:title>Minutes</dc:title><meta:initial-creator>Ada</meta:initial-creator><dc:creator>Grace</dc:creator>' +
      '<meta:keyword>alpha</meta:keyword><meta:keyword>beta</meta:keyword><meta:generator>LibreOffice/7.5</meta:generator>' +
      '<meta:creation-date>2024-05-01T12:00:00</meta:creation-date><meta:document-statistic meta:page-count="1" meta:word-count="5"/>',
  );

/** A spreadsheet "Data" with two filled rows and a million padded empty ones. */
export const ods = () =>
  odf(
    'application/vnd.oasis.opendocument.spreadsheet',
    '<office:spreadsheet><table:table table:name="Data">' +
      '<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>' +
      '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row>' +
      '</table:table></office:spreadsheet>',
  );
