/**
 * Changing Salesforce records (REST API "Update a Record" and "Insert or Update (Upsert) a
 * Record Using an External ID"): `PATCH sobjects/{type}/{id}` with the fields to change (204),
 * and `PATCH sobjects/{type}/{externalIdField}/{value}`, which creates the record when no
 * record has that value (201, `created: true`) and updates it when one has (200,
 * `created: false`). Several matches answer 300 Multiple Choices with their URLs: that is
 * `INTEGRATION_REJECTED` `MULTIPLE_CHOICES`, the matching ids in `details.matches`.
 *
 * Upserts by an External ID are what makes a retried workflow step safe: sent twice, it
 * updates the record the first call created instead of creating a second one.
 *
 * @module
 */
import { z } from 'zod';
import { expectShape } from './client.js';
import type { ConnectorClient } from './define.js';
import { rejected } from './errors.js';
import { apiBase, interpretSalesforce, type SalesforceSessionCredentials } from './salesforce-session.js';
import { salesforceId } from './salesforce-upload.js';

type Client = ConnectorClient<SalesforceSessionCredentials>;

/** An sObject API name: `Lead`, `Account`, `Invoice__c`. */
const sObjectName = z.string().regex(/^[A-Za-z]\w*$/, 'an sObject API name such as Lead or Invoice__c');
/** Fields by API name, sent as given. */
const fieldValues = z.record(z.string().regex(/^[A-Za-z]\w*$/), z.unknown());

/** Input of `updateRecord`. */
export const updateRecordInput = z.object({
  /** `Lead`, `Contact`, `Opportunity`, `Account` or any other sObject. */
  sObject: sObjectName,
  /** The record's id. */
  id: salesforceId,
  /** The fields to change, by API name (`{ "Status": "Working - Contacted" }`). */
  fields: fieldValues.refine((f) => Object.keys(f).length > 0, 'at least one field to change'),
});

/** Input of `upsertRecord`. */
export const upsertRecordInput = z.object({
  sObject: sObjectName,
  /** An External ID field of the sObject (`FileForge_Id__c`), or `Id`. */
  externalIdField: z.string().regex(/^[A-Za-z]\w*$/),
  /** Its value: the record to update, or the new record's. */
  externalId: z.string().min(1).max(255),
  /** The record's fields, by API name (without the External ID field). */
  fields: fieldValues,
});

/** `PATCH sobjects/{type}/{id}` → 204. */
export async function updateRecord(client: Client, input: z.output<typeof updateRecordInput>) {
  const base = await apiBase(client);
  await client.request({
    method: 'PATCH',
    path: `${base}sobjects/${input.sObject}/${input.id}`,
    json: input.fields,
    // sets the given values: sent twice, the record ends the same
    idempotent: true,
  });
  return { id: input.id, sObject: input.sObject };
}

/** `PATCH sobjects/{type}/{field}/{value}` → 201 created or 200 updated. */
export async function upsertRecord(client: Client, input: z.output<typeof upsertRecordInput>) {
  const base = await apiBase(client);
  const { [input.externalIdField]: _key, ...fields } = input.fields;
  const response = await client.request({
    method: 'PATCH',
    path: `${base}sobjects/${input.sObject}/${input.externalIdField}/${encodeURIComponent(input.externalId)}`,
    json: fields,
    raw: true,
    // the second of two creates-or-updates finds the record the first made and updates it
    idempotent: true,
  });
  if (response.status === 300) {
    const urls = Array.isArray(response.data) ? response.data.map(String) : [];
    const matches = urls.map((u) => u.split('/').pop() ?? u);
    throw rejected(
      `${matches.length} ${input.sObject} records have ${input.externalIdField} = ${input.externalId}; make the field unique or update one by id`,
      { integration: 'salesforce', status: 300, vendorCode: 'MULTIPLE_CHOICES', matches },
    );
  }
  // before API v46.0 an update answered 204 without a body
  const data = expectShape(
    z.object({ id: z.string().optional(), created: z.boolean().optional() }).optional(),
    interpretSalesforce(response, 'salesforce'),
    response,
    'salesforce',
  );
  return {
    id: data?.id,
    sObject: input.sObject,
    created: response.status === 201 || data?.created === true,
  };
}
