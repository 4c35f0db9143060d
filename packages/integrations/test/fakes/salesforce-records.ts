/**
 * The Salesforce fake's record store: 18-character ids with the real key prefixes and
 * case-safe checksum, the fields each supported sObject accepts and requires, and the
 * validation Salesforce applies on create, answered as its `[{message,errorCode,fields}]`
 * error entries.
 *
 * @module
 */

/** One error entry of a Salesforce REST error body. */
export interface SalesforceError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** A stored record: its fields as written, plus `Id`. */
export type SalesforceRecord = Record<string, unknown> & { Id: string };

interface SObjectSchema {
  prefix: string;
  label: string;
  required: string[];
  fields: string[];
  /** Lookup fields and the sObjects they may point at (`*` any). */
  references: Record<string, string[]>;
  /** Fields marked External ID (upsert keys; `Id` always works). */
  externalIds?: string[];
}

/** The sObjects the fake knows, with the fields it accepts (others answer INVALID_FIELD). */
export const SALESFORCE_SOBJECTS: Record<string, SObjectSchema> = {
  Account: {
    prefix: '001',
    label: 'Account',
    required: ['Name'],
    fields: [
      'Name',
      'Phone',
      'Website',
      'Industry',
      'Description',
      'BillingCity',
      'BillingCountry',
      'FileForge_Id__c',
    ],
    references: {},
    externalIds: ['FileForge_Id__c'],
  },
  Contact: {
    prefix: '003',
    label: 'Contact',
    required: ['LastName'],
    fields: [
      'FirstName',
      'LastName',
      'Email',
      'Phone',
      'Title',
      'Description',
      'AccountId',
      'FileForge_Id__c',
    ],
    references: { AccountId: ['Account'] },
    externalIds: ['FileForge_Id__c'],
  },
  Opportunity: {
    prefix: '006',
    label: 'Opportunity',
    required: ['Name', 'StageName', 'CloseDate'],
    fields: [
      'Name',
      'StageName',
      'CloseDate',
      'AccountId',
      'Amount',
      'Description',
      'LeadSource',
      'FileForge_Id__c',
    ],
    references: { AccountId: ['Account'] },
    externalIds: ['FileForge_Id__c'],
  },
  Lead: {
    prefix: '00Q',
    label: 'Lead',
    required: ['LastName', 'Company'],
    fields: [
      'FirstName',
      'LastName',
      'Company',
      'Email',
      'Phone',
      'Title',
      'LeadSource',
      'Status',
      'Description',
      'FileForge_Id__c',
    ],
    references: {},
    externalIds: ['FileForge_Id__c'],
  },
  ContentVersion: {
    prefix: '068',
    label: 'Content Version',
    required: ['PathOnClient', 'VersionData'],
    fields: [
      'Title',
      'PathOnClient',
      'VersionData',
      'FirstPublishLocationId',
      'Description',
      'ContentDocumentId',
    ],
    references: { FirstPublishLocationId: ['*'], ContentDocumentId: ['ContentDocument'] },
  },
  ContentDocument: {
    prefix: '069',
    label: 'Content Document',
    required: [],
    fields: ['Title'],
    references: {},
  },
  ContentDocumentLink: {
    prefix: '06A',
    label: 'Content Document Link',
    required: ['ContentDocumentId', 'LinkedEntityId'],
    fields: ['ContentDocumentId', 'LinkedEntityId', 'ShareType', 'Visibility'],
    references: { ContentDocumentId: ['ContentDocument'], LinkedEntityId: ['*'] },
  },
};

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix that makes a 15-character id case-insensitively unique. */
export function salesforceIdChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let flags = 0;
    for (let i = 0; i < 5; i += 1) {
      const ch = id15[chunk * 5 + i] ?? '';
      if (ch >= 'A' && ch <= 'Z') flags |= 1 << i;
    }
    suffix += CHECKSUM[flags];
  }
  return suffix;
}

/** Whether `id` is a well-formed 15- or 18-character Salesforce id (checksum verified). */
export function isSalesforceId(id: unknown): id is string {
  if (typeof id !== 'string' || !/^[0-9A-Za-z]{15}([0-9A-Z]{3})?$/.test(id)) return false;
  return id.length === 15 || salesforceIdChecksum(id.slice(0, 15)) === id.slice(15);
}

/** The in-memory org: records per sObject, plus the bytes of each ContentVersion. */
export class SalesforceRecords {
  readonly #byType = new Map<string, Map<string, SalesforceRecord>>();
  /** Decoded `VersionData` of each ContentVersion, by its 068 id. */
  readonly versionData = new Map<string, Buffer>();
  #counter = 0;

  /** A new 18-character id for `type` (e.g. `00Q…` for a Lead). */
  newId(type: string): string {
    const prefix = SALESFORCE_SOBJECTS[type]?.prefix ?? '000';
    this.#counter += 1;
    let n = this.#counter;
    let body = '';
    for (let i = 0; i < 10; i += 1) {
      body = BASE62[n % 62] + body;
      n = Math.floor(n / 62);
    }
    const id15 = `${prefix}Dn${body}`.slice(0, 15);
    return id15 + salesforceIdChecksum(id15);
  }

  /** Stores `fields` as a new `type` record without validation (seeding); returns the record. */
  insert(type: string, fields: Record<string, unknown>): SalesforceRecord {
    const record: SalesforceRecord = { ...fields, Id: this.newId(type) };
    this.#table(type).set(record.Id, record);
    return record;
  }

  /** Every record of `type`, in creation order. */
  all(type: string): SalesforceRecord[] {
    return [...this.#table(type).values()];
  }

  /** A record by id (15 or 18 characters), of any type. */
  find(id: string): { type: string; record: SalesforceRecord } | undefined {
    for (const [type, table] of this.#byType) {
      for (const record of table.values()) {
        if (record.Id === id || record.Id.slice(0, 15) === id) return { type, record };
      }
    }
    return undefined;
  }

  /**
   * Errors Salesforce would answer for creating `type` from `fields` (empty when valid); with
   * `update`, for changing a record: only the fields sent are checked, and a required one
   * may not be emptied.
   */
  validate(type: string, fields: Record<string, unknown>, { update = false } = {}): SalesforceError[] {
    const schema = SALESFORCE_SOBJECTS[type];
    if (!schema) return [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];
    if ('Id' in fields) {
      return [
        { message: 'The Id field should not be specified in the sobject data.', errorCode: 'INVALID_FIELD' },
      ];
    }
    for (const name of Object.keys(fields)) {
      if (name !== 'attributes' && !schema.fields.includes(name)) {
        return [
          {
            message: `No such column '${name}' on sobject of type ${type}`,
            errorCode: 'INVALID_FIELD',
            fields: [name],
          },
        ];
      }
    }
    const missing = schema.required.filter(
      (f) => (!update || f in fields) && (fields[f] === undefined || fields[f] === null || fields[f] === ''),
    );
    if (missing.length > 0) {
      return [
        {
          message: `Required fields are missing: [${missing.join(', ')}]`,
          errorCode: 'REQUIRED_FIELD_MISSING',
          fields: missing,
        },
      ];
    }
    for (const [field, targets] of Object.entries(schema.references)) {
      const value = fields[field];
      if (value === undefined || value === null) continue;
      const target = targets[0] === '*' ? 'Record' : SALESFORCE_SOBJECTS[targets[0] ?? '']?.label;
      if (!isSalesforceId(value)) {
        return [
          {
            message: `${target} ID: id value of incorrect type: ${String(value)}`,
            errorCode: 'MALFORMED_ID',
            fields: [field],
          },
        ];
      }
      const found = this.find(value);
      if (!found || (targets[0] !== '*' && !targets.includes(found.type))) {
        return [
          {
            message: 'invalid cross reference id',
            errorCode: 'INVALID_CROSS_REFERENCE_KEY',
            fields: [field],
          },
        ];
      }
    }
    if (
      type === 'Opportunity' &&
      (!update || 'CloseDate' in fields) &&
      !/^\d{4}-\d{2}-\d{2}$/.test(String(fields.CloseDate))
    ) {
      return [
        {
          message: `Cannot deserialize instance of date from VALUE_STRING value ${String(fields.CloseDate)}`,
          errorCode: 'JSON_PARSER_ERROR',
        },
      ];
    }
    return [];
  }

  #table(type: string): Map<string, SalesforceRecord> {
    let table = this.#byType.get(type);
    if (!table) {
      table = new Map();
      this.#byType.set(type, table);
    }
    return table;
  }
}
