import { z } from '@hono/zod-openapi';
import type { UploadAdmission } from '../admission/upload-admission.js';
import { principalOf } from '../auth/ownership.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { audit } from '../middleware/audit.js';

const limit = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable();

const QuotaSchema = z
  .object({
    maxBytes: limit.openapi({
      description: 'Bytes the tenant may store (each stored blob once); `null`: no limit',
    }),
    maxFiles: limit.openapi({ description: 'Files the tenant may have; `null`: no limit' }),
  })
  .openapi('TenantQuota');

const UsageSchema = z
  .object({
    tenant: z.string(),
    bytes: z.number().openapi({
      description:
        "Bytes of the tenant's stored files, each stored blob once: a duplicate sharing its original's blob adds nothing. Derivatives are not counted.",
    }),
    files: z.number().openapi({ description: 'File records, duplicates included' }),
    reservedBytes: z.number().openapi({ description: 'Bytes reserved by uploads in flight' }),
    reservedFiles: z.number().openapi({ description: 'Files reserved by uploads in flight' }),
    quota: QuotaSchema.nullable().openapi({ description: '`null`: no quota' }),
  })
  .openapi('TenantUsage');

/** `GET /api/v1/tenants/current/usage` and the admin's `PUT /api/v1/tenants/current/quota`. */
export function registerTenantRoutes(app: ApiApp, admission: UploadAdmission): void {
  const usageOf = async (tenant: string) => ({
    tenant,
    ...(await admission.quotas.usage(tenant, new Date(admission.now()).toISOString())),
    quota: await admission.quotas.get(tenant),
  });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/tenants/current/usage',
      tags: ['Tenants'],
      summary: "Your tenant's storage use and quota",
      responses: { 200: jsonResponse(UsageSchema, 'Usage') },
    }),
    async (c) => c.json(await usageOf(principalOf(c).tenant), 200),
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/api/v1/tenants/current/quota',
      tags: ['Tenants'],
      summary: "Set your tenant's quota (admin)",
      description:
        'Uploads that would take the tenant past it are refused with 413 `QUOTA_EXCEEDED` before their bytes are stored. Lowering it below current usage removes nothing; further uploads are refused. Both limits `null` removes the quota.',
      request: { body: { required: true, content: { 'application/json': { schema: QuotaSchema } } } },
      errors: [400],
      responses: { 200: jsonResponse(UsageSchema, 'The quota is set; usage as it now stands') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const quota = c.req.valid('json');
      await admission.quotas.set(tenant, quota, new Date(admission.now()).toISOString());
      await audit(c, 'tenant.quota', { type: 'tenant', id: tenant, name: tenant }, { ...quota });
      return c.json(await usageOf(tenant), 200);
    },
  );
}
