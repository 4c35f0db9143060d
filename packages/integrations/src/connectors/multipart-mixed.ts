/**
 * `multipart/mixed` bodies of `application/http` parts — the OData V2 `$batch` format
 * (OData V2 "Batch Processing"; SAP Gateway): each part holds one whole HTTP request or
 * response (start line, headers, blank line, body), and a change set is a nested
 * `multipart/mixed` part.
 *
 * @module
 */

/** One part of a multipart body: lower-case header names, the raw body. */
export interface MimePart {
  headers: Record<string, string>;
  body: Buffer;
}

/** An HTTP message inside an `application/http` part. */
export interface HttpMessage {
  /** `POST A_Product HTTP/1.1` or `HTTP/1.1 201 Created`. */
  startLine: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** The `boundary` parameter of a `multipart/*` content type. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /;\s*boundary=("([^"]+)"|[^;\s]+)/i.exec(contentType ?? '');
  return match ? (match[2] ?? match[1]) : undefined;
}

function headerBlock(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits a multipart body at `boundary` (preamble and epilogue ignored); `null` when malformed. */
export function splitParts(body: Buffer, boundary: string): MimePart[] | null {
  const delimiter = `--${boundary}`;
  const parts: MimePart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString('latin1') === '--') return parts;
    const next = body.indexOf(`\r\n${delimiter}`, after);
    if (next < 0) return null;
    const part = body.subarray(body.indexOf('\n', after) + 1, next);
    const split = part.indexOf('\r\n\r\n');
    const headers = headerBlock(part.subarray(0, split < 0 ? part.length : split).toString('utf8'));
    parts.push({ headers, body: split < 0 ? Buffer.alloc(0) : part.subarray(split + 4) });
    at = next + 2;
  }
}

/** Reads the HTTP message of an `application/http` part. */
export function httpMessageOf(part: MimePart): HttpMessage {
  const text = part.body;
  const split = text.indexOf('\r\n\r\n');
  const head = text.subarray(0, split < 0 ? text.length : split).toString('utf8');
  const [startLine = '', ...lines] = head.split(/\r?\n/);
  return {
    startLine: startLine.trim(),
    headers: headerBlock(lines.join('\r\n')),
    body: split < 0 ? Buffer.alloc(0) : text.subarray(split + 4),
  };
}

/** An `application/http` part: `Content-Transfer-Encoding: binary`, then the message. */
export function httpPart(startLine: string, headers: Record<string, string>, body = ''): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return (
    'Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n' +
    `${startLine}\r\n${lines.join('\r\n')}${lines.length > 0 ? '\r\n' : ''}\r\n${body}`
  );
}

/** Joins parts (each with its own headers) into a multipart body. */
export function joinParts(boundary: string, parts: readonly string[]): string {
  return `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;
}
