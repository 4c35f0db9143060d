/**
 * Following envelopes (specs/connectors.md §3 "Track status"): one envelope by id, or many with
 * `GET …/envelopes?from_date=…|envelope_ids=…&status=…&count=…`, whose pages are followed through
 * `nextUri` (relative to the account's API base). DocuSign asks integrations not to poll an
 * envelope more often than every 15 minutes; its Connect webhooks are the push alternative.
 *
 * @module
 */
import { z } from 'zod';
import type { ConnectorClient } from './define.js';
import { docusignAccount } from './docusign-auth.js';

/** The status fields returned besides `envelopeId` and `status`, when DocuSign has them. */
const STATUS_FIELDS = [
  'emailSubject',
  'createdDateTime',
  'sentDateTime',
  'deliveredDateTime',
  'completedDateTime',
  'declinedDateTime',
  'voidedDateTime',
  'voidedReason',
  'statusChangedDateTime',
] as const;

const ENVELOPE_STATUSES = [
  'created',
  'sent',
  'delivered',
  'signed',
  'completed',
  'declined',
  'voided',
] as const;

/** Input of `getEnvelopeStatus`. */
export const envelopeStatusInput = z.object({
  /** The `envelopeId` sendEnvelope returned. */
  envelopeId: z.string().min(1),
});

/** Input of `listEnvelopes`: changed since `fromDate`, or these ids. */
export const listEnvelopesInput = z
  .object({
    /** Envelopes whose status changed at or after this time (ISO 8601). */
    fromDate: z.iso.datetime({ offset: true }).optional(),
    /** These envelopes (up to 100). */
    envelopeIds: z.array(z.string().min(1)).min(1).max(100).optional(),
    /** Only these statuses. @default any */
    statuses: z.array(z.enum(ENVELOPE_STATUSES)).min(1).optional(),
    /** Most envelopes returned (pages of up to 100 are followed). @default 100 */
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .refine((v) => v.fromDate !== undefined || v.envelopeIds !== undefined, {
    message: 'fromDate or envelopeIds is required',
  });

type Envelope = Record<string, unknown>;

/** An envelope as DocuSign lists it: an id and a status, with whatever timestamps it has. */
const envelope = z.looseObject({ envelopeId: z.string(), status: z.string() });

function summary(data: Envelope): Envelope {
  const result: Envelope = { envelopeId: data.envelopeId, status: data.status };
  for (const field of STATUS_FIELDS) if (data[field] !== undefined) result[field] = data[field];
  return result;
}

/** `GET …/envelopes/{id}` → its status and timestamps. */
export async function getEnvelopeStatus(
  client: ConnectorClient,
  input: z.output<typeof envelopeStatusInput>,
) {
  const account = await docusignAccount(client as Parameters<typeof docusignAccount>[0]);
  const { data } = await client.request({
    path: `${account.apiBase}/envelopes/${encodeURIComponent(input.envelopeId)}`,
    response: envelope,
  });
  return summary(data);
}

/** A page of `GET …/envelopes`. */
const envelopePage = z.object({
  totalSetSize: z.string().optional(),
  nextUri: z.string().optional(),
  envelopes: z.array(envelope).optional(),
});

/** `GET …/envelopes?…`, following `nextUri` until `limit` envelopes or the last page. */
export async function listEnvelopes(client: ConnectorClient, input: z.output<typeof listEnvelopesInput>) {
  const account = await docusignAccount(client as Parameters<typeof docusignAccount>[0]);
  const envelopes: Envelope[] = [];
  let { data: page } = await client.request({
    path: `${account.apiBase}/envelopes`,
    response: envelopePage,
    query: {
      from_date: input.fromDate,
      envelope_ids: input.envelopeIds?.join(','),
      status: input.statuses?.join(',') ?? 'any',
      count: Math.min(input.limit, 100),
    },
  });
  for (;;) {
    envelopes.push(...(page.envelopes ?? []).map(summary));
    if (!page.nextUri || envelopes.length >= input.limit) break;
    ({ data: page } = await client.request({
      path: `${account.apiBase}${page.nextUri}`,
      response: envelopePage,
    }));
  }
  return {
    totalSetSize: Number(page.totalSetSize ?? envelopes.length),
    envelopes: envelopes.slice(0, input.limit),
  };
}
