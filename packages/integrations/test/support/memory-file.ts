/**
 * A {@link FileSource} over bytes in memory that counts how often it is opened — what a
 * connector test hands to a file action when it does not need a whole forge (a retry must
 * re-open the file, and the count shows it). Shared by the SAP and Oracle tests.
 */
import { Readable } from 'node:stream';
import type { FileSource } from '../../src/connectors/index.js';

/** A file source over `bytes`; `opened` counts the calls to `open()`. */
export function memoryFile(
  bytes: Buffer,
  name = 'invoice-42.pdf',
  mime: string | undefined = 'application/pdf',
): FileSource & { opened: number } {
  const source = {
    name,
    size: bytes.length,
    ...(mime === undefined ? {} : { mime }),
    opened: 0,
    open: async () => {
      source.opened += 1;
      return Readable.from([bytes]);
    },
  };
  return source;
}
