/**
 * A PDF with a ZIP appended (security spec B2): file-type sees `%PDF` and PDF readers stop at
 * `%%EOF`, while unzip reads the archive from the end. A PDF ends within its last 1,024 bytes
 * with `%%EOF`; a file whose last bytes are instead a ZIP end-of-central-directory record
 * (its comment running exactly to the end of the file) carries an archive after the document.
 *
 * @module
 */
import type { ProcessorFile } from '@fileforge/core';
import { rejectContent } from '../reject-content.js';

/** The ZIP end-of-central-directory record: its signature, fixed size and largest comment. */
const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const PDF_EOF = Buffer.from('%%EOF');

/** Whether `tail` (the file's last bytes) ends with a ZIP end record that no `%%EOF` follows. */
export function endsWithZip(tail: Buffer): boolean {
  for (let at = tail.lastIndexOf(EOCD); at >= 0; at = at > 0 ? tail.lastIndexOf(EOCD, at - 1) : -1) {
    if (at + EOCD_SIZE > tail.length) continue;
    const comment = tail.readUInt16LE(at + 20);
    if (at + EOCD_SIZE + comment !== tail.length) continue;
    return tail.indexOf(PDF_EOF, at) === -1;
  }
  return false;
}

/** Refuses a PDF whose last bytes are a ZIP archive's end: `CONTENT_REJECTED` `trailing_data`. */
export async function checkNoAppendedZip(file: ProcessorFile): Promise<void> {
  const size = file.record.size;
  if (size < EOCD_SIZE) return;
  const start = Math.max(0, size - (EOCD_SIZE + MAX_COMMENT));
  const chunks: Buffer[] = [];
  for await (const chunk of await file.open({ start, end: size - 1 })) chunks.push(chunk as Buffer);
  if (endsWithZip(Buffer.concat(chunks))) {
    throw rejectContent('pdf', 'trailing_data', 'The PDF carries a ZIP archive after its end (%%EOF)');
  }
}
