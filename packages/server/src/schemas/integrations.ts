import { z } from '@hono/zod-openapi';

/** `{slug}` of a connector. */
export const SlugParam = z.object({
  slug: z
    .string()
    .max(40)
    .openapi({ param: { name: 'slug', in: 'path' }, example: 'slack' }),
});

/** `{slug}` and `{action}`. */
export const ActionParams = SlugParam.extend({
  action: z
    .string()
    .max(80)
    .openapi({ param: { name: 'action', in: 'path' }, example: 'postMessage' }),
});

/** `POST /api/v1/integrations/connect/{slug}` query. */
export const ConnectQuery = z.object({
  test: z
    .enum(['true', 'false'])
    .default('true')
    .openapi({ description: 'Test the credentials against the vendor before storing them (default true)' }),
});

const CircuitState = z.enum(['closed', 'open', 'half-open', 'isolated']);

/** One row of `GET /api/v1/integrations`. */
export const IntegrationSummarySchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    connected: z.boolean(),
    circuitState: CircuitState,
    region: z.string().nullable(),
    available: z.boolean().openapi({ description: 'Whether this FileForge has the connector' }),
  })
  .openapi('IntegrationSummary');

const EndpointSchema = z.object({
  url: z.string(),
  weight: z.number(),
  healthy: z.boolean(),
  picks: z.number(),
  failures: z.number(),
  region: z.string().optional(),
});

/** `GET /api/v1/integrations/{slug}/status` (also what connect answers). Never a credential value. */
export const IntegrationStatusSchema = IntegrationSummarySchema.extend({
  fields: z
    .array(z.object({ name: z.string(), secret: z.boolean(), set: z.boolean() }))
    .openapi({ description: 'The credential fields and whether each is set; values are never returned' }),
  connectedAt: z.string().nullable(),
  actions: z.array(z.string()),
  circuit: z
    .object({
      state: CircuitState,
      failureCount: z.number(),
      successCount: z.number(),
      rejectedCount: z.number(),
      lastFailureAt: z.number().nullable(),
      openedAt: z.number().nullable(),
    })
    .nullable(),
  endpoints: z.array(EndpointSchema),
  lastError: z
    .object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      operation: z.string(),
      at: z.string(),
    })
    .nullable(),
}).openapi('IntegrationStatus');

/** What a connection test or an action answers. */
export const IntegrationResultSchema = z
  .object({
    success: z.boolean(),
    data: z.unknown().optional(),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        details: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    latencyMs: z.number(),
    attempt: z.number().int(),
    fromCache: z.boolean().optional(),
    fallback: z.boolean().optional(),
  })
  .openapi('IntegrationResult');

/** `POST /api/v1/integrations/{slug}/actions/{action}`. */
export const ActionBody = z
  .object({
    input: z
      .unknown()
      .openapi({ description: 'The action’s input (see each connector in docs/integrations.md)' }),
    fileId: z.string().max(64).optional().openapi({ description: 'The stored file a file action sends' }),
    derivative: z.string().max(200).optional().openapi({ description: 'Send this derivative instead' }),
  })
  .openapi('IntegrationActionCall');
