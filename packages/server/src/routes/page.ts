import type { Catalog, Forge } from '@fileforge/core';
import type { AuthService } from '../auth/service.js';
import type { ApiApp } from '../http/openapi.js';
import type { ServerIntegrations } from '../options.js';
import { registerUi } from '../ui/router.js';

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
  registerUi(app, {
    forge,
    auth,
    catalog,
    ...(integrations ? { integrations } : {}),
    request: async (path, init) => app.request(path, init),
  });
}
