import { deflateSync } from 'node:zlib';

/**
 * A tiny PDF writer for tests: enough of PDF 1.4 (catalog, page tree, Helvetica, one text line
 * per page, an Info dictionary, a correct xref table) to build valid and deliberately broken
 * documents without fixtures on disk.
 */

/** One object body, numbered from 1 in the order given. */
export type PdfObject = string;

/** Serializes numbered objects into a PDF with a correct xref table and trailer. */
export function writePdfObjects(
  objects: readonly PdfObject[],
  trailer: { root: number; info?: number; encrypt?: number },
): Buffer {
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  const info = trailer.info === undefined ? '' : ` /Info ${trailer.info} 0 R`;
  const encrypt =
    trailer.encrypt === undefined
      ? ''
      : ` /Encrypt ${trailer.encrypt} 0 R /ID [<${'ab'.repeat(16)}> <${'ab'.repeat(16)}>]`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${trailer.root} 0 R${info}${encrypt} >>\n`;
  out += `startxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const escapeText = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);

const stream = (content: string) =>
  `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;

/** A FlateDecode stream object (the compressed bytes carried as latin1 text). */
const flateStream = (content: Buffer) => {
  const packed = deflateSync(content);
  return `<< /Length ${packed.length} /Filter /FlateDecode >>\nstream\n${packed.toString('latin1')}\nendstream`;
};

/** Options for {@link writePdf}. */
export interface WritePdfOptions {
  /** One text line per page. @default ['FileForge invoice 42'] */
  pages?: readonly string[];
  title?: string;
  author?: string;
  /** Overrides the page tree's `/Count` (a lying page count). */
  claimedCount?: number;
  /** Flate-compress the content streams, as most real PDFs do. */
  compress?: boolean;
}

/** A valid PDF with one Helvetica text line per page and an optional Info dictionary. */
export function writePdf(options: WritePdfOptions = {}): Buffer {
  const pages = options.pages ?? ['FileForge invoice 42'];
  // 1 catalog, 2 pages, 3 font, 4 info, then a page + content stream pair per page.
  const pageIds = pages.map((_, i) => 5 + i * 2);
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${options.claimedCount ?? pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< ${options.title ? `/Title (${escapeText(options.title)}) ` : ''}${options.author ? `/Author (${escapeText(options.author)}) ` : ''}/Producer (FileForge test writer) /CreationDate (D:20240102030405Z) >>`,
  ];
  for (const [i, text] of pages.entries()) {
    const pageId = pageIds[i] as number;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`,
      (options.compress ? (c: string) => flateStream(Buffer.from(c, 'latin1')) : stream)(
        `BT /F1 24 Tf 72 720 Td (${escapeText(text)}) Tj ET`,
      ),
    );
  }
  return writePdfObjects(objects, { root: 1, info: 4 });
}

/**
 * A one-page PDF whose content stream is a flate bomb: `bytes` of spaces compressed to about a
 * thousandth of that (the F3 "flate bomb" of the security spec).
 */
export function writeFlateBombPdf(bytes: number): Buffer {
  return writePdfObjects(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
      flateStream(Buffer.alloc(bytes, 0x20)),
    ],
    { root: 1 },
  );
}

/**
 * A PDF whose page tree loops: the root `Pages` lists an intermediate `Pages` node whose kid
 * points back at the root (the F2 "page-tree cycle" of the security spec).
 */
export function writeCyclicPdf(): Buffer {
  return writePdfObjects(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 >>',
      '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    ],
    { root: 1 },
  );
}
