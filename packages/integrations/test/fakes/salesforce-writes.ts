/**
 * The Salesforce fake's record updates (REST API "Update a Record", "Insert or Update (Upsert) a
 * Record Using an External ID"), behind the same version, session and limit checks as the rest:
 *
 * - `PATCH /services/data/vNN.0/sobjects/{type}/{id}` with the fields to change (JSON) → 204
 *   No Content; 404 `NOT_FOUND` for an unknown record; the create checks on the fields sent
 *   (no `Id` in the body, known fields, required ones not emptied, lookups).
 * - `PATCH /services/data/vNN.0/sobjects/{type}/{field}/{value}` → no match: the record is
 *   created with `field = value`, 201 `{id, success, errors, created: true}`; one match: updated,
 *   200 `{…, created: false}` (the answer since API v46.0; the fake serves v58+); several: 300 Multiple Choices with the
 *   records' URLs. The field must be an External ID field (or `Id`), else 404 `NOT_FOUND`
 *   "Provided external ID field does not exist or is not accessible"; a body that names the
 *   field with another value is refused [inf].
 *
 * @module
 */
import type { Context, Hono } from 'hono';
import { SALESFORCE_SOBJECTS, type SalesforceError, type SalesforceRecords } from './salesforce-records.js';

const sfError = (status: number, errors: SalesforceError[]) => Response.json(errors, { status });
const notFound = (message = 'The requested resource does not exist') =>
  sfError(404, [{ errorCode: 'NOT_FOUND', message }]);

/** The JSON object of a PATCH body, or Salesforce's refusal. */
async function fieldsOf(c: Context): Promise<Record<string, unknown> | Response> {
  const contentType = c.req.header('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('application/json')) {
    return sfError(415, [
      {
        errorCode: 'UNSUPPORTED_MEDIA_TYPE',
        message: `MediaType of '${contentType}' is not supported by this resource`,
      },
    ]);
  }
  const text = await c.req.text();
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch {
    return sfError(400, [
      {
        errorCode: 'JSON_PARSER_ERROR',
        message: `Unexpected character ('${text[0] ?? ''}'): at [line:1, column:1]`,
      },
    ]);
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return sfError(400, [
      { errorCode: 'JSON_PARSER_ERROR', message: 'Cannot deserialize instance from START_ARRAY' },
    ]);
  }
  return fields as Record<string, unknown>;
}

/** Mounts the PATCH routes on the fake's app. */
export function mountSalesforceWrites(
  app: Hono,
  records: SalesforceRecords,
  recordUrl: (version: string, type: string, id: string) => string,
): void {
  app.patch('/services/data/:version/sobjects/:type/:id', async (c) => {
    const type = c.req.param('type');
    const found = records.find(c.req.param('id'));
    if (!SALESFORCE_SOBJECTS[type] || !found || found.type !== type) return notFound();
    const fields = await fieldsOf(c);
    if (fields instanceof Response) return fields;
    const errors = records.validate(type, fields, { update: true });
    if (errors.length > 0) return sfError(400, errors);
    Object.assign(found.record, fields);
    return new Response(null, { status: 204 });
  });

  app.patch('/services/data/:version/sobjects/:type/:field/:value', async (c) => {
    const version = c.req.param('version');
    const type = c.req.param('type');
    const field = c.req.param('field');
    const value = c.req.param('value'); // Hono decodes it
    const schema = SALESFORCE_SOBJECTS[type];
    if (!schema) return notFound();
    if (field !== 'Id' && !schema.externalIds?.includes(field)) {
      return notFound(`Provided external ID field does not exist or is not accessible: ${field}`);
    }
    const fields = await fieldsOf(c);
    if (fields instanceof Response) return fields;
    if (field in fields && String(fields[field]) !== value) {
      return sfError(400, [
        {
          errorCode: 'INVALID_FIELD',
          message: `The value of ${field} in the body does not match the external ID in the URL`,
          fields: [field],
        },
      ]);
    }
    const matches = records.all(type).filter((r) => (field === 'Id' ? r.Id === value : r[field] === value));
    if (matches.length > 1) {
      return Response.json(
        matches.map((r) => recordUrl(version, type, r.Id)),
        { status: 300 },
      );
    }
    const [match] = matches;
    if (!match) {
      if (field === 'Id') return notFound();
      const created = { ...fields, [field]: value };
      const errors = records.validate(type, created);
      if (errors.length > 0) return sfError(400, errors);
      const record = records.insert(type, created);
      return Response.json({ id: record.Id, success: true, errors: [], created: true }, { status: 201 });
    }
    const { [field]: _key, ...changes } = fields;
    const errors = records.validate(type, changes, { update: true });
    if (errors.length > 0) return sfError(400, errors);
    Object.assign(match, changes);
    return Response.json({ id: match.Id, success: true, errors: [], created: false }, { status: 200 });
  });
}
