/**
 * Salesforce records: the inputs of the create actions (mapped to the sObject fields), the
 * create call itself, and the find-by-email lookup (SOQL, paged by `nextRecordsUrl`).
 *
 * @module
 */
import { z } from 'zod';
import type { ConnectorClient } from './define.js';
import { apiBase, type SalesforceSessionCredentials } from './salesforce-session.js';
import { createdRecord, salesforceId } from './salesforce-upload.js';

type Client = ConnectorClient<SalesforceSessionCredentials>;

/** Extra fields sent as is (custom fields such as `Region__c`); the named inputs win on a clash. */
const extraFields = z.record(z.string().regex(/^[A-Za-z]\w*$/), z.unknown()).optional();

/** Input of `createLead`. */
export const createLeadInput = z.object({
  firstName: z.string().optional(),
  lastName: z.string().min(1),
  company: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().optional(),
  title: z.string().optional(),
  /** `Web`, `Phone Inquiry`, … (the org's picklist). */
  leadSource: z.string().optional(),
  /** `Open - Not Contacted`, … (the org's picklist). @default the org's default */
  status: z.string().optional(),
  description: z.string().optional(),
  fields: extraFields,
});

/** Input of `createContact`. */
export const createContactInput = z.object({
  firstName: z.string().optional(),
  lastName: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().optional(),
  title: z.string().optional(),
  accountId: salesforceId.optional(),
  description: z.string().optional(),
  fields: extraFields,
});

/** Input of `createOpportunity`. */
export const createOpportunityInput = z.object({
  name: z.string().min(1),
  /** `Prospecting`, `Closed Won`, … (the org's picklist). */
  stageName: z.string().min(1),
  /** `YYYY-MM-DD`. */
  closeDate: z.iso.date(),
  accountId: salesforceId.optional(),
  amount: z.number().nonnegative().optional(),
  leadSource: z.string().optional(),
  description: z.string().optional(),
  fields: extraFields,
});

/** Input of `findByEmail`. */
export const findByEmailInput = z.object({
  email: z.email(),
  /** @default 'Lead' */
  sObject: z.enum(['Lead', 'Contact']).default('Lead'),
  /** Most records returned. @default 200 */
  limit: z.number().int().min(1).max(2000).default(200),
});

/** `POST sobjects/{type}/` → 201 `{id, success, errors}`. */
export async function createRecord(
  client: Client,
  sObject: string,
  named: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const base = await apiBase(client);
  const fields = { ...extra };
  for (const [key, value] of Object.entries(named)) if (value !== undefined) fields[key] = value;
  const { data } = await client.request({
    path: `${base}sobjects/${sObject}/`,
    json: fields,
    response: createdRecord,
  });
  return { id: data.id, sObject };
}

/** A SOQL string literal: backslashes and quotes escaped. */
function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A page of `GET …/query?q=SELECT Id, FirstName, LastName, Email …`. */
const queryPage = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(
    z.object({
      Id: z.string(),
      FirstName: z.string().nullish(),
      LastName: z.string().nullish(),
      Email: z.string().nullish(),
    }),
  ),
});

/** Leads or Contacts with this email, every page followed. */
export async function findByEmail(client: Client, input: z.output<typeof findByEmailInput>) {
  const base = await apiBase(client);
  const q = `SELECT Id, FirstName, LastName, Email FROM ${input.sObject} WHERE Email = ${soqlString(input.email)} LIMIT ${input.limit}`;
  let { data: page } = await client.request({ path: `${base}query`, query: { q }, response: queryPage });
  const records = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    ({ data: page } = await client.request({
      path: new URL(page.nextRecordsUrl, base).href,
      response: queryPage,
    }));
    records.push(...page.records);
  }
  return {
    totalSize: page.totalSize,
    records: records.map((r) => ({
      id: r.Id,
      firstName: r.FirstName ?? null,
      lastName: r.LastName ?? null,
      email: r.Email ?? null,
    })),
  };
}
