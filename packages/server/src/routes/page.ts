import type { Catalog, Forge } from '@fileforge/core';
import type { AuthService } from '../auth/service.js';
import type { ApiApp } from '../http/openapi.js';
import type { ServerIntegrations } from '../options.js';
import { registerUi } from '../ui/router.js';
import { SCREENS } from '../ui/screens/index.js';

const HTML = { 'text/html': { schema: { type: 'string' as const } } };

/**
 * Lists the web UI's pages in the OpenAPI document (tag `Web UI`), so the reference names
 * every address the server answers. They are HTML for people, not an API to script against.
 */
function documentPages(app: ApiApp): void {
  const register = (path: string, summary: string, params: string[] = []) =>
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      tags: ['Web UI'],
      summary,
      ...(params.length > 0
        ? {
            parameters: params.map((name) => ({
              name,
              in: 'path' as const,
              required: true,
              schema: { type: 'string' as const },
            })),
          }
        : {}),
      responses: {
        200: {
          description: 'The page; the sign-in (or first-admin setup) page without a session',
          content: HTML,
        },
        403: { description: 'The role may not open this page', content: HTML },
        404: { description: 'No such item', content: HTML },
      },
    });
  register('/assets/{name}', 'The web UI’s stylesheet and scripts', ['name']);
  for (const screen of SCREENS) {
    const params = [...screen.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
    register(screen.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'), `${screen.title} (web UI)`, params);
  }
}

/**
 * The web UI: every screen (`/`, `/files/:id`, `/folders`, …) and its assets under
 * `/assets/`. See `src/ui/README.md` for how screens are added.
 */
export function registerPageRoutes(
  app: ApiApp,
  forge: Forge,
  auth: AuthService,
  catalog: Catalog,
  integrations?: ServerIntegrations,
): void {
  documentPages(app);
  registerUi(app, {
    forge,
    auth,
    catalog,
    ...(integrations ? { integrations } : {}),
    request: async (path, init) => app.request(path, init),
  });
}
