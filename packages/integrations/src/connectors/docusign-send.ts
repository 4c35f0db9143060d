/**
 * DocuSign `sendEnvelope` (specs/connectors.md §3 "Send document for signature"): one envelope
 * with the stored file as document 1, the signers (with anchored sign-here tabs), `status: sent`.
 *
 * How the document travels: a small file as `documentBase64` inside the JSON definition (read
 * into memory, about 2.3 × its size); a larger one — base64 inflates it by a third — as a
 * multipart request (DocuSign "attach documents via binary transfer"): part 0 the JSON
 * definition (`Content-Type: application/json`) whose document has no `documentBase64`, part 1
 * the bytes streamed from storage with `Content-Disposition: file; filename="…"; documentid=1`.
 *
 * @module
 */
import { z } from 'zod';
import { expectShape } from './client.js';
import type { ConnectorClient } from './define.js';
import { docusignAccount } from './docusign-auth.js';
import { interpretDocuSign } from './docusign-errors.js';
import { rejected } from './errors.js';
import { readWhole } from './file-source.js';
import { newBoundary, postStreamed, quotedName } from './multipart.js';
import type { FileSource } from './types.js';

/** DocuSign's limit on one document (25 MB); larger files are refused before they are read. */
export const DOCUSIGN_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;
/** With `transfer: 'auto'`, files larger than this go as multipart instead of base64. */
export const DOCUSIGN_MULTIPART_ABOVE_BYTES = 5 * 1024 * 1024;

const INTEGRATION = 'docusign';

const EXTENSION_BY_MIME: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/plain': 'txt',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** DocuSign needs `fileExtension` for anything but PDF: from the name, else the MIME type. */
function extensionOf(name: string, mime: string | undefined): string | undefined {
  return (
    /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? (mime ? EXTENSION_BY_MIME[mime] : undefined)
  );
}

const signer = z.object({
  email: z.email(),
  name: z.string().min(1).max(100),
  /** Signing order: signers with the same number sign in parallel. @default 1 */
  routingOrder: z.number().int().min(1).max(999).optional(),
  /** Place the sign-here field where this text appears in the document (e.g. `/sn1/`); omitted, the signer places it. */
  anchorString: z.string().min(1).optional(),
  /** Offset from the anchor, in pixels. @default 0 */
  anchorXOffset: z.number().int().optional(),
  /** @default 0 */
  anchorYOffset: z.number().int().optional(),
});

/** Input of `sendEnvelope`. */
export const sendEnvelopeInput = z.object({
  /** Subject of the signing e-mail (DocuSign allows 100 characters). */
  emailSubject: z.string().min(1).max(100),
  /** Body text of the signing e-mail. */
  emailBlurb: z.string().max(10_000).optional(),
  /** Who signs, at least one. */
  signers: z.array(signer).min(1).max(50),
  /** Name of the document in DocuSign. @default the file's name */
  documentName: z.string().min(1).optional(),
  /**
   * `base64` (inside the JSON, the file in memory), `multipart` (the bytes streamed in their own
   * part) or `auto` (multipart above 5 MB). @default 'auto'
   */
  transfer: z.enum(['auto', 'base64', 'multipart']).default('auto'),
});

/** What `POST …/envelopes` answers. */
const envelopeSummary = z.object({
  envelopeId: z.string(),
  uri: z.string().optional(),
  status: z.string(),
  statusDateTime: z.string().optional(),
});

/** The envelope definition without the document's bytes. */
function definitionOf(input: z.output<typeof sendEnvelopeInput>, name: string, fileExtension?: string) {
  return {
    emailSubject: input.emailSubject,
    ...(input.emailBlurb ? { emailBlurb: input.emailBlurb } : {}),
    documents: [{ documentId: '1', name, ...(fileExtension ? { fileExtension } : {}) }],
    recipients: {
      // ids and numbers are strings on DocuSign's wire
      signers: input.signers.map((s, i) => ({
        email: s.email,
        name: s.name,
        recipientId: String(i + 1),
        routingOrder: String(s.routingOrder ?? 1),
        ...(s.anchorString
          ? {
              tabs: {
                signHereTabs: [
                  {
                    anchorString: s.anchorString,
                    anchorUnits: 'pixels',
                    anchorXOffset: String(s.anchorXOffset ?? 0),
                    anchorYOffset: String(s.anchorYOffset ?? 0),
                  },
                ],
              },
            }
          : {}),
      })),
    },
    status: 'sent',
  };
}

/** Sends `file` for signature; one attempt. */
export async function sendEnvelope(
  client: ConnectorClient,
  input: z.output<typeof sendEnvelopeInput>,
  file: FileSource | undefined,
) {
  if (!file) throw rejected('sendEnvelope needs a file', { integration: INTEGRATION });
  if (file.size > DOCUSIGN_MAX_DOCUMENT_BYTES) {
    throw rejected(`${file.name} is ${file.size} bytes; DocuSign takes documents up to 25 MB`, {
      integration: INTEGRATION,
    });
  }
  const account = await docusignAccount(client as Parameters<typeof docusignAccount>[0]);
  const name = input.documentName ?? file.name;
  const definition = definitionOf(input, name, extensionOf(name, file.mime));
  const url = `${account.apiBase}/envelopes`;
  const transfer =
    input.transfer === 'auto'
      ? file.size > DOCUSIGN_MULTIPART_ABOVE_BYTES
        ? 'multipart'
        : 'base64'
      : input.transfer;
  let summary: z.output<typeof envelopeSummary>;
  if (transfer === 'base64') {
    const bytes = await readWhole(await file.open(client.signal), DOCUSIGN_MAX_DOCUMENT_BYTES, INTEGRATION);
    const [document] = definition.documents;
    ({ data: summary } = await client.request({
      path: url,
      response: envelopeSummary,
      json: { ...definition, documents: [{ ...document, documentBase64: bytes.toString('base64') }] },
    }));
  } else {
    const boundary = newBoundary();
    const head = Buffer.from(
      `--${boundary}\r\nContent-Type: application/json\r\nContent-Disposition: form-data\r\n\r\n` +
        `${JSON.stringify(definition)}\r\n` +
        `--${boundary}\r\nContent-Type: ${file.mime ?? 'application/octet-stream'}\r\n` +
        `Content-Disposition: file; filename="${quotedName(name)}"; documentid=1\r\n\r\n`,
    );
    const response = await postStreamed(client, {
      url,
      contentType: `multipart/form-data; boundary=${boundary}`,
      head,
      file,
      tail: Buffer.from(`\r\n--${boundary}--\r\n`),
    });
    summary = expectShape(envelopeSummary, interpretDocuSign(response, INTEGRATION), response, INTEGRATION);
  }
  return {
    envelopeId: summary.envelopeId,
    status: summary.status,
    statusDateTime: summary.statusDateTime,
    uri: summary.uri,
    accountId: account.accountId,
    transfer,
  };
}
