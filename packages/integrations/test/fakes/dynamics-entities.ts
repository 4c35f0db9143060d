/**
 * The Dataverse fake's tables: the entity sets it serves (plural, lower-case, case-sensitive),
 * their columns and single-valued navigation properties, and the payload checks the Web API
 * applies on create — undeclared properties, literals of the wrong Edm type and
 * `@odata.bind` references — answered as Dataverse's `{error:{code,message}}`.
 *
 * Like Dataverse, only SystemRequired columns would be enforced, and these tables have none:
 * "business required" (e.g. account.name) is a form rule, so connectors must check it.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';

type EdmType = 'Edm.String' | 'Edm.Decimal' | 'Edm.Date' | 'Edm.Int32';

interface EntitySetSchema {
  logicalName: string;
  idColumn: string;
  columns: Record<string, EdmType>;
  /** Navigation property → the entity set it binds to. */
  lookups: Record<string, string>;
}

/** The entity sets the fake serves. */
export const DATAVERSE_ENTITY_SETS: Record<string, EntitySetSchema> = {
  accounts: {
    logicalName: 'account',
    idColumn: 'accountid',
    columns: {
      name: 'Edm.String',
      telephone1: 'Edm.String',
      websiteurl: 'Edm.String',
      emailaddress1: 'Edm.String',
      accountnumber: 'Edm.String',
      description: 'Edm.String',
      address1_city: 'Edm.String',
    },
    lookups: { parentaccountid: 'accounts', primarycontactid: 'contacts' },
  },
  contacts: {
    logicalName: 'contact',
    idColumn: 'contactid',
    columns: {
      firstname: 'Edm.String',
      lastname: 'Edm.String',
      emailaddress1: 'Edm.String',
      telephone1: 'Edm.String',
      jobtitle: 'Edm.String',
      description: 'Edm.String',
    },
    lookups: { parentcustomerid_account: 'accounts', parentcustomerid_contact: 'contacts' },
  },
  opportunities: {
    logicalName: 'opportunity',
    idColumn: 'opportunityid',
    columns: {
      name: 'Edm.String',
      estimatedvalue: 'Edm.Decimal',
      estimatedclosedate: 'Edm.Date',
      description: 'Edm.String',
      closeprobability: 'Edm.Int32',
    },
    lookups: {
      customerid_account: 'accounts',
      customerid_contact: 'contacts',
      parentaccountid: 'accounts',
      parentcontactid: 'contacts',
    },
  },
};

/** A Dataverse error answer. */
export interface DataverseFailure {
  status: number;
  code: string;
  message: string;
}

/** A stored row: columns, `{id column}`, `_{lookup}_value` GUIDs, `versionnumber`, `createdon`. */
export type DataverseRow = Record<string, unknown>;

/** The navigation property a lookup's `_x_value` column comes from (polymorphic suffix dropped). */
function lookupColumn(navigation: string): string {
  return `_${navigation.replace(/_(account|contact)$/, '')}_value`;
}

function literalError(value: unknown, type: EdmType): boolean {
  if (value === null) return false;
  switch (type) {
    case 'Edm.String':
      return typeof value !== 'string';
    case 'Edm.Decimal':
      return typeof value !== 'number';
    case 'Edm.Int32':
      return !Number.isInteger(value);
    case 'Edm.Date':
      return typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value);
  }
}

const BIND = /^(?:https?:\/\/[^/]+\/api\/data\/v9\.\d)?\/?([A-Za-z_]+)\(([0-9a-fA-F-]{36})\)$/;

/** The in-memory Dataverse tables. */
export class DataverseTables {
  readonly #rows = new Map<string, Map<string, DataverseRow>>();
  #version = 1_000_000;

  /** Every row of `entitySet`, in creation order. */
  all(entitySet: string): DataverseRow[] {
    return [...(this.#rows.get(entitySet)?.values() ?? [])];
  }

  /** One row by GUID. */
  get(entitySet: string, id: string): DataverseRow | undefined {
    return this.#rows.get(entitySet)?.get(id.toLowerCase());
  }

  /** Stores a row as is (seeding); returns its GUID. */
  insert(entitySet: string, columns: DataverseRow, id: string = randomUUID()): string {
    const schema = DATAVERSE_ENTITY_SETS[entitySet];
    if (!schema) throw new Error(`[fileforge:fakes] unknown Dataverse entity set '${entitySet}'`);
    let table = this.#rows.get(entitySet);
    if (!table) {
      table = new Map();
      this.#rows.set(entitySet, table);
    }
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    table.set(id, {
      ...columns,
      [schema.idColumn]: id,
      versionnumber: this.#nextVersion(),
      createdon: now,
      modifiedon: now,
    });
    return id;
  }

  /** Merges `columns` into a row (PATCH). */
  update(entitySet: string, id: string, columns: DataverseRow): void {
    const row = this.get(entitySet, id);
    if (row) Object.assign(row, columns, { versionnumber: this.#nextVersion() });
  }

  /**
   * Converts a request payload into row columns (`x@odata.bind` → `_x_value`), or the
   * error Dataverse answers for it.
   */
  toColumns(entitySet: string, payload: Record<string, unknown>): DataverseRow | DataverseFailure {
    const schema = DATAVERSE_ENTITY_SETS[entitySet]!;
    const payloadError = (detail: string): DataverseFailure => ({
      status: 400,
      code: '0x80048d19',
      message: `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ${detail}`,
    });
    const columns: DataverseRow = {};
    for (const [key, value] of Object.entries(payload)) {
      if (key.endsWith('@odata.bind')) {
        const navigation = key.slice(0, -'@odata.bind'.length);
        const target = schema.lookups[navigation];
        if (!target) {
          return payloadError(
            `An undeclared property '${navigation}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
          );
        }
        const match = typeof value === 'string' ? BIND.exec(value) : null;
        if (!match || match[1] !== target) {
          return {
            status: 400,
            code: '0x80060888',
            message: `The URI '${String(value)}' is not valid for the '${navigation}' navigation property; expected '/${target}(<guid>)'.`,
          };
        }
        const id = match[2]!.toLowerCase();
        if (!this.get(target, id)) {
          const logical = DATAVERSE_ENTITY_SETS[target]!.logicalName;
          return { status: 404, code: '0x80040217', message: `${logical} With Id = ${id} Does Not Exist` };
        }
        columns[lookupColumn(navigation)] = id;
        continue;
      }
      if (key.startsWith('@')) continue;
      const type = schema.columns[key];
      if (!type) {
        return payloadError(
          `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${schema.logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        );
      }
      if (literalError(value, type)) {
        return payloadError(`Cannot convert the literal '${String(value)}' to the expected type '${type}'.`);
      }
      columns[key] = value;
    }
    return columns;
  }

  #nextVersion(): string {
    this.#version += 1;
    return String(this.#version);
  }
}
