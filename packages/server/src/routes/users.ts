import { type Catalog, ErrorCode, FileForgeError } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import { type AuthService, publicUser } from '../auth/service.js';
import { notFound } from '../errors/respond.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { audit, userTarget } from '../middleware/audit.js';
import { NewUserBody, UserPatchBody, UserSchema } from '../schemas/auth.js';
import { IdParam } from '../schemas/files.js';

/** Admin-only user management inside the admin's tenant. */
export function registerUserRoutes(app: ApiApp, auth: AuthService, catalog: Catalog): void {
  const accounts = catalog.accounts;
  const inTenant = async (tenant: string, id: string) => {
    const user = await accounts.getUser(id);
    if (!user || user.tenant !== tenant) throw notFound('User');
    return user;
  };

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/users',
      tags: ['Users'],
      summary: 'List the users of your tenant',
      responses: { 200: jsonResponse(z.object({ items: z.array(UserSchema) }), 'Users') },
    }),
    async (c) => c.json({ items: (await accounts.listUsers(principalOf(c).tenant)).map(publicUser) }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/users',
      tags: ['Users'],
      summary: 'Create a user in your tenant',
      request: { body: { required: true, content: { 'application/json': { schema: NewUserBody } } } },
      errors: [400, 409, 503],
      responses: { 201: jsonResponse(UserSchema, 'Created') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = await auth.createUser({ ...body, tenant: principalOf(c).tenant });
      await audit(c, 'user.create', userTarget(user), { role: user.role });
      return c.json(user, 201);
    },
  );

  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/api/v1/users/{id}',
      tags: ['Users'],
      summary: 'Change a user’s role, password or disabled flag',
      description:
        'An admin may not demote or disable themselves, nor set their own password here (409 `CONFLICT`): ' +
        'that is `POST /api/v1/auth/password`, which asks for the current one.',
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: UserPatchBody } } },
      },
      errors: [400, 404, 409, 503],
      responses: { 200: jsonResponse(UserSchema, 'Updated') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const user = await inTenant(principal.tenant, c.req.valid('param').id);
      const body = c.req.valid('json');
      if (user.id === principal.userId && (body.disabled || (body.role && body.role !== 'admin'))) {
        throw new FileForgeError(ErrorCode.CONFLICT, 'Admins cannot demote or disable themselves');
      }
      // Without the current password (and its lock-out) a stolen session or the admin's own API
      // key could take the account over.
      if (user.id === principal.userId && body.password) {
        throw new FileForgeError(
          ErrorCode.CONFLICT,
          'Change your own password with POST /api/v1/auth/password (it asks for the current one)',
        );
      }
      await accounts.updateUser(user.id, {
        ...(body.role ? { role: body.role } : {}),
        ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
        ...(body.password ? { passwordHash: await auth.hashPassword(body.password) } : {}),
      });
      if (body.disabled || body.password)
        await accounts.revokeUserRefreshTokens(user.id, new Date().toISOString());
      if (body.role || body.disabled !== undefined)
        await audit(c, 'user.update', userTarget(user), { role: body.role, disabled: body.disabled });
      if (body.password) await audit(c, 'user.password', userTarget(user));
      return c.json(publicUser((await accounts.getUser(user.id))!), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/api/v1/users/{id}',
      tags: ['Users'],
      summary: 'Delete a user (their files stay)',
      request: { params: IdParam },
      errors: [404, 409],
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      const principal = principalOf(c);
      const user = await inTenant(principal.tenant, c.req.valid('param').id);
      if (user.id === principal.userId)
        throw new FileForgeError(ErrorCode.CONFLICT, 'Admins cannot delete themselves');
      const at = new Date().toISOString();
      await accounts.revokeUserRefreshTokens(user.id, at);
      // Their keys stop with them (a key acts within its creator's role): listed as revoked,
      // not as active keys of nobody.
      for (const key of await accounts.listApiKeys(user.tenant)) {
        if (key.userId === user.id && key.revokedAt === null)
          await accounts.updateApiKey(key.id, { revokedAt: at });
      }
      await accounts.deleteUser(user.id);
      await audit(c, 'user.delete', userTarget(user));
      return c.body(null, 204);
    },
  );
}
