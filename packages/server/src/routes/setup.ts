import { z } from '@hono/zod-openapi';
import type { AuthService } from '../auth/service.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { audit, userTarget } from '../middleware/audit.js';
import { SetupBody, UserSchema } from '../schemas/auth.js';

/**
 * The one-time setup of a fresh install: while no user exists, anyone who can reach the
 * server may create the first admin (tenant `default`); afterwards 409 `CONFLICT`.
 */
export function registerSetupRoutes(app: ApiApp, auth: AuthService): void {
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/setup',
      tags: ['Auth'],
      summary: 'Whether the one-time setup is still open',
      responses: { 200: jsonResponse(z.object({ needed: z.boolean() }), 'Setup state') },
    }),
    async (c) => c.json({ needed: await auth.needsSetup() }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/setup',
      tags: ['Auth'],
      summary: 'Create the first admin (only while no user exists)',
      request: { body: { required: true, content: { 'application/json': { schema: SetupBody } } } },
      errors: [400, 409, 503],
      responses: { 201: jsonResponse(UserSchema, 'The first admin') },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const admin = await auth.setup(email, password);
      await audit(
        c,
        'user.create',
        userTarget(admin),
        { role: admin.role, setup: true },
        { tenant: admin.tenant },
      );
      return c.json(admin, 201);
    },
  );
}
