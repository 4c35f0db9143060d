/**
 * Salesforce document upload: one ContentVersion, linked to a record by
 * `FirstPublishLocationId` (specs/connectors.md §1 "Document upload"). Small files (up to
 * {@link SALESFORCE_MULTIPART_ABOVE_BYTES}) go as JSON with base64 `VersionData`; larger ones
 * (ContentVersion takes up to 2 GB) are streamed as multipart/form-data with the
 * `entity_content` and `VersionData` parts, never held in memory. JSON, asked for explicitly,
 * takes files whose base64 fits Salesforce's 37.5 MB limit, read into memory.
 *
 * @module
 */
import { z } from 'zod';
import { expectShape } from './client.js';
import type { ConnectorClient } from './define.js';
import { rejected } from './errors.js';
import { readWhole } from './file-source.js';
import { newBoundary, postStreamed, quotedName } from './multipart.js';
import { apiBase, interpretSalesforce, type SalesforceSessionCredentials } from './salesforce-session.js';
import type { FileSource } from './types.js';

/** Largest base64 `VersionData` a JSON body may carry (Salesforce's limit is 37.5 MB). */
export const MAX_JSON_BASE64_CHARS = 37_500_000;

/**
 * Above this size `transfer: 'auto'` streams multipart instead of sending base64 JSON: JSON
 * holds the whole file and its base64 in memory, so only small files go that way.
 */
export const SALESFORCE_MULTIPART_ABOVE_BYTES = 5 * 1024 * 1024;

/** A 15- or 18-character Salesforce record id. */
export const salesforceId = z
  .string()
  .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'a Salesforce record id');

/** What creating a record answers (`{ id, success, errors }`); the id is what is read. */
export const createdRecord = z.object({ id: z.string() });

/** Input of `uploadDocument`. */
export const uploadDocumentInput = z.object({
  /** The record the file is published to (`FirstPublishLocationId`): a Lead, Contact, Opportunity, Account… */
  recordId: salesforceId,
  /** Title shown in Salesforce. @default the file name without its extension */
  title: z.string().min(1).max(255).optional(),
  /** `PathOnClient`; its extension sets the file type. @default the file name */
  pathOnClient: z.string().min(1).optional(),
  description: z.string().max(1000).optional(),
  /**
   * `json` (base64 `VersionData`, whole file in memory, ≤ 37.5 MB of base64), `multipart`
   * (streamed, up to 2 GB) or `auto` (JSON up to 5 MB, multipart above). @default 'auto'
   */
  transfer: z.enum(['auto', 'json', 'multipart']).default('auto'),
});

/** What `uploadDocument` resolves with. */
export interface UploadedDocument {
  contentVersionId: string;
  /** The ContentDocument (the file across versions), when Salesforce could be asked for it. */
  contentDocumentId?: string;
  recordId: string;
  transfer: 'json' | 'multipart';
}

type Client = ConnectorClient<SalesforceSessionCredentials>;

/** Uploads `file` as a new ContentVersion published to `input.recordId`. One attempt. */
export async function uploadContentVersion(
  client: Client,
  input: z.output<typeof uploadDocumentInput>,
  file: FileSource | undefined,
): Promise<UploadedDocument> {
  if (!file) throw rejected('uploadDocument needs a file', { integration: 'salesforce' });
  const base = await apiBase(client);
  const pathOnClient = input.pathOnClient ?? file.name;
  const fields = {
    Title: input.title ?? (pathOnClient.replace(/\.[^.]*$/, '') || pathOnClient),
    PathOnClient: pathOnClient,
    FirstPublishLocationId: input.recordId,
    ...(input.description === undefined ? {} : { Description: input.description }),
  };
  const transfer =
    input.transfer === 'auto'
      ? file.size > SALESFORCE_MULTIPART_ABOVE_BYTES
        ? 'multipart'
        : 'json'
      : input.transfer;
  if (transfer === 'json' && 4 * Math.ceil(file.size / 3) > MAX_JSON_BASE64_CHARS) {
    throw rejected(
      `uploadDocument: the file is too large for a JSON upload (its base64 exceeds Salesforce's 37.5 MB); use transfer "multipart" or "auto"`,
      { integration: 'salesforce' },
    );
  }
  const url = `${base}sobjects/ContentVersion/`;
  let created: z.output<typeof createdRecord>;
  if (transfer === 'json') {
    const bytes = await readWhole(
      await file.open(client.signal),
      3 * (MAX_JSON_BASE64_CHARS / 4),
      'salesforce',
    );
    ({ data: created } = await client.request({
      path: url,
      json: { ...fields, VersionData: bytes.toString('base64') },
      response: createdRecord,
    }));
  } else {
    created = await sendMultipart(client, url, fields, file);
  }
  const documentId = await contentDocumentOf(client, base, created.id);
  return {
    contentVersionId: created.id,
    ...(documentId === undefined ? {} : { contentDocumentId: documentId }),
    recordId: input.recordId,
    transfer,
  };
}

/** Streams the multipart body (`entity_content` JSON part, then the `VersionData` bytes). */
async function sendMultipart(
  client: Client,
  url: string,
  fields: Record<string, string>,
  file: FileSource,
): Promise<z.output<typeof createdRecord>> {
  const boundary = newBoundary();
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\n` +
      `Content-Type: application/json\r\n\r\n${JSON.stringify(fields)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="VersionData"; filename="${quotedName(file.name)}"\r\n` +
      `Content-Type: ${file.mime ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const response = await postStreamed(client, {
    url,
    contentType: `multipart/form-data; boundary=${boundary}`,
    head,
    file,
    tail,
  });
  return expectShape(createdRecord, interpretSalesforce(response, 'salesforce'), response, 'salesforce');
}

/**
 * The ContentDocument of a new version. Best effort: the upload already succeeded, and
 * failing here would make a retry upload the file twice.
 */
async function contentDocumentOf(
  client: Client,
  base: string,
  versionId: string,
): Promise<string | undefined> {
  try {
    const { status, data } = await client.request<{ ContentDocumentId?: unknown } | undefined>({
      path: `${base}sobjects/ContentVersion/${versionId}`,
      query: { fields: 'ContentDocumentId' },
      raw: true,
    });
    return status === 200 && typeof data?.ContentDocumentId === 'string' ? data.ContentDocumentId : undefined;
  } catch {
    return undefined;
  }
}
