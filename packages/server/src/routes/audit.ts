import { AUDIT_ACTIONS, type Forge } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { isIsoTime, queryText } from '../schemas/query-params.js';

/** The tenant `POST /api/v1/setup` creates: its admins also see installation-wide entries. */
const INSTALLATION_TENANT = 'default';

const isoTime = z.string().max(40).refine(isIsoTime, 'Expected an ISO 8601 time');

const AuditQuery = z.object({
  action: z
    .string()
    .max(64)
    .regex(/^[a-z_]+(\.[a-z_]+|\.\*)$/)
    .optional()
    .openapi({ description: `An action (${AUDIT_ACTIONS.join(', ')}) or a prefix such as \`auth.*\`` }),
  actor: queryText().max(64).optional().openapi({
    description: 'The acting user id or API key id (for `cli` entries, the operating-system user)',
  }),
  targetType: queryText().max(32).optional().openapi({ description: '`file`, `user`, `api_key`, `rule`…' }),
  targetId: queryText().max(200).optional(),
  since: isoTime.optional().openapi({ description: 'Entries at or after this time (ISO 8601)' }),
  until: isoTime.optional().openapi({ description: 'Entries before this time (ISO 8601)' }),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .optional()
    .openapi({ description: '`nextCursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const AuditEntrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    tenant: z.string().nullable(),
    actor: z.object({
      type: z.enum(['user', 'api_key', 'cli', 'system', 'anonymous']),
      id: z.string().nullable(),
    }),
    action: z.string(),
    target: z.object({ type: z.string().nullable(), id: z.string().nullable(), name: z.string().nullable() }),
    requestId: z.string().nullable(),
    clientAddress: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEntry');

/** `GET /api/v1/audit`: the audit trail of the admin's tenant, newest first. */
export function registerAuditRoutes(app: ApiApp, forge: Forge): void {
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/audit',
      tags: ['Audit'],
      summary: 'Read the audit trail, newest first (admins)',
      description:
        'Who did what in your tenant: logins (also failed ones), uploads, downloads, deletes, rule, workflow, connector, webhook, API key and user changes. ' +
        'Each entry carries the hash of the one before (`prevHash`), so an edit breaks the chain: `fileforge audit verify` checks it. ' +
        'Admins of the `default` tenant also see installation-wide entries (`tenant: null`: logins that named no tenant, key rotation). ' +
        'Filters combine with AND; page with `cursor` = the previous `nextCursor`.',
      request: { query: AuditQuery },
      errors: [400],
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }),
          'A page of entries',
        ),
      },
    }),
    async (c) => {
      const { actor, ...query } = c.req.valid('query');
      const tenant = principalOf(c).tenant;
      const page = await forge.audit.list({
        ...query,
        ...(actor ? { actorId: actor } : {}),
        tenant,
        includeInstallationWide: tenant === INSTALLATION_TENANT,
      });
      return c.json(page, 200);
    },
  );
}
