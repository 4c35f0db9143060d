import type { Catalog, Forge } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { roleAllows } from '../auth/permissions.js';
import type { AuthService } from '../auth/service.js';
import { type ApiApp, publicRoute } from '../http/openapi.js';
import { APP_SCRIPT } from '../ui/app-script.js';
import { fileRow, renderLoginPage, renderPage, renderSetupPage } from '../ui/page.js';

const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; form-action 'self'";

/**
 * `/`: the setup form on a fresh install, the login form without a session, else the upload
 * page (`?fragment=rows` returns just the table rows). `/assets/app.js` is its script.
 */
export function registerPageRoutes(app: ApiApp, forge: Forge, auth: AuthService, catalog: Catalog): void {
  app.openapi(
    publicRoute({
      method: 'get',
      path: '/',
      tags: ['Web'],
      summary: 'The web page',
      request: { query: z.object({ fragment: z.enum(['rows']).optional() }) },
      responses: {
        200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } },
        401: { description: 'Session expired (fragment only)' },
      },
    }),
    async (c) => {
      c.header('Content-Security-Policy', PAGE_CSP);
      c.header('Cache-Control', 'no-store');
      const principal = c.get('principal');
      const fragment = c.req.query('fragment') === 'rows';
      if (!principal || !roleAllows(principal.role, 'files:read')) {
        if (fragment) return c.body(null, 401);
        return c.html(String(await ((await auth.needsSetup()) ? renderSetupPage() : renderLoginPage())));
      }
      const { items } = await forge.files.list({ limit: 100, tenant: principal.tenant });
      if (fragment) return c.html((await Promise.all(items.map(fileRow))).join(''));
      const user = await catalog.accounts.getUser(principal.userId);
      return c.html(
        String(
          await renderPage(items, forge.options.maxFileSize, {
            email: user?.email ?? principal.id,
            role: principal.role,
          }),
        ),
      );
    },
  );

  app.openapi(
    publicRoute({
      method: 'get',
      path: '/assets/app.js',
      tags: ['Web'],
      summary: 'The web page’s script',
      responses: { 200: { description: 'JavaScript' } },
    }),
    async (c) =>
      c.body(APP_SCRIPT, 200, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'no-cache',
      }),
  );
}
