/**
 * The small SOQL subset the Salesforce fake answers, enough for a connector's lookups:
 * `SELECT f1, f2 FROM Type [WHERE f = 'v' [AND g = 'w' …]] [LIMIT n]` (values may be quoted
 * strings, numbers, `true`/`false` or `null`). Anything else answers MALFORMED_QUERY, the way
 * Salesforce refuses a query it cannot parse.
 *
 * @module
 */
import { SALESFORCE_SOBJECTS, type SalesforceError, type SalesforceRecord } from './salesforce-records.js';

/** A parsed query. */
export interface SoqlQuery {
  fields: string[];
  type: string;
  where: Array<{ field: string; value: unknown }>;
  limit: number | undefined;
}

const QUERY = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/i;
const CONDITION = /^\s*(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false|null)\s*$/i;

function literal(text: string): unknown {
  if (text.startsWith("'")) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^null$/i.test(text)) return null;
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  return Number(text);
}

/** Parses `q`, or returns the error Salesforce would answer. */
export function parseSoql(q: string): SoqlQuery | SalesforceError {
  const match = QUERY.exec(q);
  if (!match)
    return { message: `unexpected token: '${q.trim().split(/\s+/)[0] ?? ''}'`, errorCode: 'MALFORMED_QUERY' };
  const [, fieldList = '', type = '', whereText, limitText] = match;
  const schema = SALESFORCE_SOBJECTS[type];
  if (!schema) {
    return {
      message: `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
      errorCode: 'INVALID_TYPE',
    };
  }
  const fields = fieldList.split(',').map((f) => f.trim());
  const where: SoqlQuery['where'] = [];
  for (const part of whereText ? whereText.split(/\s+AND\s+/i) : []) {
    const condition = CONDITION.exec(part);
    if (!condition) return { message: `unexpected token: '${part.trim()}'`, errorCode: 'MALFORMED_QUERY' };
    where.push({ field: condition[1]!, value: literal(condition[2]!) });
  }
  for (const field of [...fields, ...where.map((w) => w.field)]) {
    if (field !== 'Id' && !schema.fields.includes(field)) {
      return { message: `No such column '${field}' on entity '${type}'.`, errorCode: 'INVALID_FIELD' };
    }
  }
  return { fields, type, where, limit: limitText === undefined ? undefined : Number(limitText) };
}

/** The records of `query`, projected to its fields (as `{attributes, …fields}`). */
export function runSoql(
  query: SoqlQuery,
  records: SalesforceRecord[],
  recordUrl: (type: string, id: string) => string,
): Array<Record<string, unknown>> {
  const matching = records.filter((r) =>
    query.where.every(({ field, value }) => {
      const actual = r[field] ?? null;
      return typeof actual === 'string' && typeof value === 'string'
        ? actual.toLowerCase() === value.toLowerCase()
        : actual === value;
    }),
  );
  const limited = query.limit === undefined ? matching : matching.slice(0, query.limit);
  return limited.map((r) => {
    const row: Record<string, unknown> = {
      attributes: { type: query.type, url: recordUrl(query.type, r.Id) },
    };
    for (const field of query.fields) row[field] = r[field] ?? null;
    return row;
  });
}
