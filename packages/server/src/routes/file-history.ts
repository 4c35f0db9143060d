import type { AuditEntry, Forge, OutboxEntry, WorkflowRun } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import { roleAllows } from '../auth/permissions.js';
import { notFound } from '../errors/respond.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { IdParam } from '../schemas/files.js';
import { WorkflowRunSchema } from '../schemas/workflows.js';

const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({
    description: 'At most this many of each kind (the latest)',
  }),
});

const FileHistoryEventSchema = z
  .object({
    eventId: z.string(),
    type: z.string().openapi({ example: 'file.processed' }),
    at: z.string(),
    status: z.string().nullable().openapi({ description: "The file's status the event reported" }),
    details: z.record(z.string(), z.unknown()).openapi({
      description:
        '`error` (file.failed), `category` and `decidedBy` (file.classified), `from`, `to`, `runId` (file.sorted), `causedBy` (a workflow run caused it)',
    }),
    delivery: z.object({
      deliveredAt: z.string().nullable(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
    }),
  })
  .openapi('FileHistoryEvent');

const FileHistoryAuditSchema = z
  .object({
    at: z.string(),
    action: z.string(),
    actor: z.object({ type: z.string(), id: z.string().nullable() }),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('FileHistoryAudit');

const FileHistorySchema = z
  .object({
    events: z.array(FileHistoryEventSchema).openapi({ description: 'Oldest first' }),
    workflowRuns: z.array(WorkflowRunSchema).openapi({ description: 'Newest first, with their steps' }),
    audit: z.array(FileHistoryAuditSchema).nullable().openapi({
      description:
        'Newest first (downloads, deletion attempts, …); `null` unless the caller may read the audit trail (admins)',
    }),
  })
  .openapi('FileHistory');

function historyEvent(entry: OutboxEntry) {
  const payload = (entry.payload ?? {}) as Record<string, unknown>;
  const file = payload.file as { status?: string } | undefined;
  const classification = payload.classification as { category?: unknown; decidedBy?: unknown } | undefined;
  const details: Record<string, unknown> = {};
  if (payload.error) details.error = payload.error;
  if (classification)
    Object.assign(details, {
      category: classification.category ?? null,
      decidedBy: classification.decidedBy ?? null,
    });
  for (const key of ['from', 'to', 'runId', 'causedBy'] as const)
    if (payload[key] !== undefined) details[key] = payload[key];
  return {
    eventId: entry.id,
    type: entry.type,
    at: entry.createdAt,
    status: file?.status ?? null,
    details,
    delivery: { deliveredAt: entry.deliveredAt, attempts: entry.attempts, lastError: entry.lastError },
  };
}

const runResource = ({ tenant: _tenant, causedBy: _causedBy, ...rest }: WorkflowRun) => rest;
const auditItem = (entry: AuditEntry) => ({
  at: entry.at,
  action: entry.action,
  actor: entry.actor,
  details: entry.details as Record<string, unknown>,
});

/**
 * `GET /api/v1/files/{id}/history`: what happened to a file — its events (from the event
 * outbox, with their delivery state; kept until the outbox's retention prunes them), the
 * workflow runs about it with their steps, and for admins its audit entries.
 */
export function registerFileHistoryRoutes(app: ApiApp, forge: Forge): void {
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/files/{id}/history',
      tags: ['Files'],
      summary: 'A file’s history: events, workflow runs and (admins) audit entries',
      request: { params: IdParam, query: HistoryQuery },
      errors: [400, 404],
      responses: { 200: jsonResponse(FileHistorySchema, 'The history') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { id } = c.req.valid('param');
      const { limit } = c.req.valid('query');
      const record = await forge.files.get(id, { tenant: principal.tenant });
      if (!record) throw notFound('File');
      const [events, runs, audit] = await Promise.all([
        forge.catalog.outbox.listStream(`${principal.tenant}/${id}`, { limit }),
        forge.workflows.listFileRuns(id, { tenant: principal.tenant, limit }),
        roleAllows(principal.role, 'audit:read')
          ? forge.audit.list({ tenant: principal.tenant, targetType: 'file', targetId: id, limit })
          : null,
      ]);
      return c.json(
        {
          events: events.map(historyEvent),
          workflowRuns: runs.map(runResource),
          audit: audit ? audit.items.map(auditItem) : null,
        },
        200,
      );
    },
  );
}
