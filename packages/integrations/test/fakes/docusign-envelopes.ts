/**
 * The DocuSign fake's envelope store and the checks eSignature v2.1 applies to an envelope
 * definition (`Envelopes_PostEnvelopes`), answered as its `{errorCode, message}`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';

/** A DocuSign error answer. */
export interface DocuSignFailure {
  status: number;
  errorCode: string;
  message: string;
}

/** Envelope statuses (`correct`/`deleted` are not modelled). */
export type EnvelopeStatus =
  | 'created'
  | 'sent'
  | 'delivered'
  | 'signed'
  | 'completed'
  | 'declined'
  | 'voided';

/** A stored envelope: the definition as sent, decoded documents and status timestamps. */
export interface StoredEnvelope {
  envelopeId: string;
  status: EnvelopeStatus;
  emailSubject: string | undefined;
  documents: Array<{
    documentId: string;
    name: string;
    fileExtension: string;
    bytes: Buffer;
    /** How its bytes came: `documentBase64` in the JSON, or a multipart part. */
    transfer: 'base64' | 'multipart';
  }>;
  /** `recipients` exactly as posted. */
  recipients: { signers?: Array<Record<string, unknown>> } | undefined;
  /** Timestamps by field name (`createdDateTime`, `sentDateTime`, …), DocuSign's 7-digit format. */
  dates: Record<string, string>;
  voidedReason?: string;
}

/** DocuSign's timestamp format, e.g. `2025-01-15T10:30:45.1230000Z`. */
export function docusignDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STATUS_DATE: Record<EnvelopeStatus, string> = {
  created: 'createdDateTime',
  sent: 'sentDateTime',
  delivered: 'deliveredDateTime',
  signed: 'signedDateTime',
  completed: 'completedDateTime',
  declined: 'declinedDateTime',
  voided: 'voidedDateTime',
};

const bad = (errorCode: string, message: string): DocuSignFailure => ({ status: 400, errorCode, message });
const badBody = (detail: string) =>
  bad('INVALID_REQUEST_BODY', `The request body is missing or improperly formatted. ${detail}`);

/** The envelopes of the fake account. */
export class DocuSignEnvelopes {
  readonly #envelopes = new Map<string, StoredEnvelope>();

  all(): StoredEnvelope[] {
    return [...this.#envelopes.values()];
  }

  get(envelopeId: string): StoredEnvelope | undefined {
    return this.#envelopes.get(envelopeId);
  }

  /** Moves an envelope on (as signers would), stamping `{status}DateTime` and `statusChangedDateTime`. */
  setStatus(envelopeId: string, status: EnvelopeStatus, nowMs: number, voidedReason?: string): void {
    const envelope = this.#envelopes.get(envelopeId);
    if (!envelope) throw new Error(`[fileforge:fakes] no envelope ${envelopeId}`);
    envelope.status = status;
    envelope.dates[STATUS_DATE[status]] = docusignDate(nowMs);
    envelope.dates.statusChangedDateTime = docusignDate(nowMs);
    if (voidedReason) envelope.voidedReason = voidedReason;
  }

  /**
   * Validates and stores an envelope definition; returns the envelope or DocuSign's error. A
   * document without `documentBase64` takes its bytes from `files` (a multipart request's parts,
   * by `documentid`).
   */
  create(
    definition: unknown,
    nowMs: number,
    files: ReadonlyMap<string, Buffer> = new Map(),
  ): StoredEnvelope | DocuSignFailure {
    if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
      return badBody('Expected an envelopeDefinition object.');
    }
    const def = definition as Record<string, unknown>;
    const status = def.status ?? 'created';
    if (status !== 'created' && status !== 'sent') {
      return bad('ENVELOPE_INVALID_STATUS', `Invalid envelope status: '${String(status)}'.`);
    }
    const documents: StoredEnvelope['documents'] = [];
    for (const doc of Array.isArray(def.documents) ? (def.documents as Array<Record<string, unknown>>) : []) {
      if (typeof doc.documentId !== 'string' || !/^[1-9]\d*$/.test(doc.documentId)) {
        return badBody('documentId must be a string holding a positive integer.');
      }
      if (typeof doc.name !== 'string' || doc.name === '') return badBody('Document name is required.');
      const part = doc.documentBase64 === undefined ? files.get(doc.documentId) : undefined;
      if (doc.documentBase64 === undefined && part === undefined) {
        return bad(
          'NO_DOCUMENT_RECEIVED',
          `Bytes for document corresponding to documentId ${doc.documentId} not found in request.`,
        );
      }
      if (
        part === undefined &&
        (typeof doc.documentBase64 !== 'string' || !BASE64.test(doc.documentBase64))
      ) {
        return badBody(`documentBase64 of document ${doc.documentId} is not valid base64.`);
      }
      const bytes = part ?? Buffer.from(String(doc.documentBase64), 'base64');
      // Without fileExtension DocuSign takes the document for a PDF, whatever its name says
      // (spec §3: non-PDF documents need it), so a .docx sent without it fails as a PDF.
      const extension = String(doc.fileExtension ?? 'pdf').toLowerCase();
      if (extension === 'pdf' && !bytes.subarray(0, 5).toString('latin1').startsWith('%PDF')) {
        return bad('PDF_VALIDATION_FAILED', `Unable to load the PDF of document ${doc.documentId}.`);
      }
      documents.push({
        documentId: doc.documentId,
        name: doc.name,
        fileExtension: extension,
        bytes,
        transfer: part ? 'multipart' : 'base64',
      });
    }
    const recipients = def.recipients as StoredEnvelope['recipients'];
    const signers = Array.isArray(recipients?.signers) ? recipients.signers : [];
    for (const signer of signers) {
      if (typeof signer.recipientId !== 'string') return badBody('recipientId must be a string.');
      if (typeof signer.name !== 'string' || signer.name.trim() === '') {
        return bad(
          'INVALID_USERNAME_FOR_RECIPIENT',
          `The user name for the recipient is invalid. ${signer.recipientId}`,
        );
      }
      if (typeof signer.email !== 'string' || !EMAIL.test(signer.email)) {
        return bad(
          'INVALID_EMAIL_ADDRESS_FOR_RECIPIENT',
          `The email address for the recipient is invalid. The recipient Id follows. ${signer.recipientId}`,
        );
      }
    }
    const emailSubject = typeof def.emailSubject === 'string' ? def.emailSubject : undefined;
    if (status === 'sent' && (!emailSubject || documents.length === 0 || signers.length === 0)) {
      return bad(
        'ENVELOPE_IS_INCOMPLETE',
        'The Envelope is not Complete. A Complete Envelope Requires Documents, Recipients, Tabs, and a Subject Line.',
      );
    }
    const now = docusignDate(nowMs);
    const envelope: StoredEnvelope = {
      envelopeId: randomUUID(),
      status,
      emailSubject,
      documents,
      recipients,
      dates: {
        createdDateTime: now,
        statusChangedDateTime: now,
        ...(status === 'sent' ? { sentDateTime: now } : {}),
      },
    };
    this.#envelopes.set(envelope.envelopeId, envelope);
    return envelope;
  }

  /** The `GET …/envelopes/{id}` representation. */
  toJson(envelope: StoredEnvelope): Record<string, unknown> {
    const uri = `/envelopes/${envelope.envelopeId}`;
    return {
      envelopeId: envelope.envelopeId,
      status: envelope.status,
      emailSubject: envelope.emailSubject ?? '',
      ...envelope.dates,
      ...(envelope.voidedReason ? { voidedReason: envelope.voidedReason } : {}),
      envelopeUri: uri,
      recipientsUri: `${uri}/recipients`,
      documentsUri: `${uri}/documents`,
      attachmentsUri: `${uri}/attachments`,
      notificationUri: `${uri}/notification`,
    };
  }
}
