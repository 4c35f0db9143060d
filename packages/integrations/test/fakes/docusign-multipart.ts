/**
 * The DocuSign fake's reading of a multipart envelope request (DocuSign "How to attach
 * documents via binary transfer"): `Content-Type: multipart/form-data; boundary=…`; part 0 is
 * the envelope definition, `Content-Type: application/json` (DocuSign refuses anything else:
 * "Content-Type for part[0] must be application/json or application/xml"); each further part is
 * one document's bytes, `Content-Disposition: file; filename="…"; documentid=N`, whose
 * `documentid` names a document of the definition that carries no `documentBase64`.
 *
 * Parsed by hand from the raw bytes: DocuSign's `file` disposition is not HTML form-data, so a
 * form-data parser would not show what DocuSign reads.
 *
 * @module
 */
import type { DocuSignFailure } from './docusign-envelopes.js';
import { type RawPart, splitMultipart } from './mime-parts.js';

export { splitMultipart } from './mime-parts.js';

/** A `Content-Disposition` parameter (`documentid=1`, `filename="a.pdf"`), case-insensitive. */
function parameter(disposition: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(disposition);
  return match ? (match[2] ?? match[1]) : undefined;
}

const multipartError = (message: string): DocuSignFailure => ({
  status: 400,
  errorCode: 'INVALID_MULTI_PART_REQUEST',
  message: `An error was found while parsing the multipart request. ${message}`,
});

/** The definition and the documents' bytes by `documentid`, or DocuSign's error. */
export function readMultipartEnvelope(
  contentType: string,
  body: Buffer,
): { definition: unknown; files: Map<string, Buffer> } | DocuSignFailure {
  const boundary = parameter(contentType, 'boundary');
  const parts = boundary ? splitMultipart(body, boundary) : null;
  if (!parts || parts.length === 0) return multipartError('No boundary or no parts.');
  const [first, ...documents] = parts as [RawPart, ...RawPart[]];
  if (!/^application\/(json|xml)\b/i.test(first.headers['content-type'] ?? '')) {
    return {
      status: 415,
      errorCode: 'INVALID_CONTENT_TYPE',
      message:
        'Content Type specified is not supported. Content-Type for part[0] must be application/json or application/xml',
    };
  }
  let definition: unknown;
  try {
    definition = JSON.parse(first.body.toString('utf8'));
  } catch {
    return {
      status: 400,
      errorCode: 'INVALID_REQUEST_BODY',
      message: 'The request body is missing or improperly formatted.',
    };
  }
  const files = new Map<string, Buffer>();
  for (const [index, part] of documents.entries()) {
    const id = parameter(part.headers['content-disposition'] ?? '', 'documentid');
    if (!id) return multipartError(`part[${index + 1}] has no documentid in its Content-Disposition.`);
    files.set(id, Buffer.from(part.body));
  }
  return { definition, files };
}
