/**
 * Splitting a multipart body into its parts, for the fakes that read multipart requests
 * (DocuSign envelopes, SAP `$batch`). Written apart from the connectors' own code, so a fake
 * does not share a connector's parsing mistakes.
 *
 * @module
 */

/** One part: lower-case header names, raw bytes. */
export interface RawPart {
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits a multipart body at `boundary`; `null` when it is not well formed. */
export function splitMultipart(body: Buffer, boundary: string): RawPart[] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: RawPart[] = [];
  let at = body.indexOf(delimiter); // a preamble before the first delimiter is ignored
  if (at < 0) return null;
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString('latin1') === '--') return parts;
    const headerStart = afterDelimiter + 2; // CRLF
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    if (headerEnd < 0) return null;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) return null;
    const headers: Record<string, string> = {};
    for (const line of body.subarray(headerStart, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}
