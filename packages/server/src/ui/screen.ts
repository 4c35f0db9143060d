import type { Catalog, Forge, Role } from '@fileforge/core';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import type { AuthService } from '../auth/service.js';
import type { ServerIntegrations } from '../options.js';
import type { ServerEnv } from '../server-env.js';

/** What the web UI's screens may use: the same forge, accounts and catalog as the API. */
export interface UiServices {
  forge: Forge;
  auth: AuthService;
  catalog: Catalog;
  /** Webhooks and connectors, when the server has them (`fileforge serve` always does). */
  integrations?: ServerIntegrations;
  /**
   * An in-process request to one of this server's own routes (the health page reads
   * `/health/detailed`; pass the caller's `cookie` header for a route that needs a session).
   */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/** The signed-in person a screen is rendered for. */
export interface ScreenUser {
  id: string;
  email: string;
  role: Role;
  tenant: string;
}

/** Everything a screen's `render` gets. */
export interface ScreenContext {
  c: Context<ServerEnv>;
  principal: Principal;
  user: ScreenUser;
  services: UiServices;
  /** True when the signed-in role holds `permission`: hide every control it lacks. */
  can(permission: Permission): boolean;
}

/** What a screen renders: the page's main content, or a whole response (a redirect, a 404). */
export interface ScreenPage {
  /** The document title (the layout adds " · FileForge"); defaults to the screen's title. */
  title?: string;
  body: Child;
  /** Client scripts to load after `core.js`, by asset name (see `assets.ts`). */
  scripts?: readonly string[];
}

/**
 * One screen of the web UI: a path, who may open it, where it sits in the navigation, and
 * how it renders. Register it in `screens/index.ts`; the router adds the layout, the
 * role guard, the sign-in page for visitors without a session, and the page headers.
 */
export interface Screen {
  /** Stable id; also the nav item marked current (`aria-current="page"`). */
  id: string;
  /** Hono path, e.g. `/files/:id`. */
  path: string;
  title: string;
  /** Required to open the screen (and to see its nav item). */
  permission: Permission;
  /** Which nav item this screen belongs to (defaults to `id`). */
  section?: string;
  render(ctx: ScreenContext): Promise<ScreenPage | Response> | ScreenPage | Response;
}

/** One item of the main navigation. */
export interface NavItem {
  /** Matches {@link Screen.section} (or `id`) of the screens it covers. */
  section: string;
  label: string;
  href: string;
  permission: Permission;
}
