import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { Context, Hono } from 'hono';
import type { Permission } from '../auth/permissions.js';
import { roleAllows } from '../auth/permissions.js';
import type { ServerEnv } from '../server-env.js';
import { UI_ASSETS } from './assets.js';
import { Notice } from './components.js';
import { Layout, renderDocument } from './layout.js';
import type { Screen, ScreenContext, UiServices } from './screen.js';
import { SCREENS } from './screens/index.js';
import { SetupForm, SignInForm } from './screens/sign-in.js';

/**
 * The pages' Content-Security-Policy: scripts and styles only from this origin (no inline
 * script), media and images from this origin, no framing, forms post here only.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

function pageHeaders(c: Context<ServerEnv>) {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('Cache-Control', 'no-store');
}

async function signInPage(c: Context<ServerEnv>, services: UiServices) {
  const setup = await services.auth.needsSetup();
  const page = (
    <Layout title={setup ? 'Set up' : 'Sign in'} scripts={['sign-in.js']}>
      {setup ? <SetupForm /> : <SignInForm />}
    </Layout>
  );
  return c.html(await renderDocument(page));
}

function errorPage(title: string, message: string, ctx?: Omit<ScreenContext, 'services' | 'c'>) {
  return (
    <Layout title={title} user={ctx?.user} can={ctx?.can}>
      <h1>{title}</h1>
      <Notice tone="bad">{message}</Notice>
      <p>
        <a href="/">Back to Files</a>
      </p>
    </Layout>
  );
}

async function renderScreen(c: Context<ServerEnv>, screen: Screen, services: UiServices) {
  pageHeaders(c);
  const principal = c.get('principal');
  if (!principal) return signInPage(c, services);
  const account = await services.catalog.accounts.getUser(principal.userId);
  const user = {
    id: principal.userId,
    email: account?.email ?? principal.id,
    role: principal.role,
    tenant: principal.tenant,
  };
  const can = (permission: Permission) => roleAllows(principal.role, permission);
  if (!can(screen.permission)) {
    return c.html(
      await renderDocument(
        errorPage('Not allowed', `The ${principal.role} role may not open this screen.`, {
          principal,
          user,
          can,
        }),
      ),
      403,
    );
  }
  try {
    const page = await screen.render({ c, principal, user, services, can });
    if (page instanceof Response) return page;
    return c.html(
      await renderDocument(
        <Layout
          title={page.title ?? screen.title}
          user={user}
          can={can}
          section={screen.section ?? screen.id}
          scripts={page.scripts}
        >
          {page.body}
        </Layout>,
      ),
    );
  } catch (error) {
    if (FileForgeError.is(error) && error.code === ErrorCode.NOT_FOUND) {
      return c.html(
        await renderDocument(errorPage('Not found', error.message, { principal, user, can })),
        404,
      );
    }
    throw error;
  }
}

/**
 * Registers the web UI: `/assets/<name>` (stylesheet and client scripts) and every screen
 * of `screens/index.ts`. A visitor without a session gets the sign-in page (or the
 * first-admin setup on a fresh install) at any screen's address, and lands on that screen
 * after signing in; a role without the screen's permission gets a 403 page.
 */
export function registerUi(app: Hono<ServerEnv>, services: UiServices): void {
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    // Own keys only: `__proto__` or `toString` is no asset.
    const asset = Object.hasOwn(UI_ASSETS, name) ? UI_ASSETS[name] : undefined;
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  });
  for (const screen of SCREENS) {
    app.get(screen.path, (c) => renderScreen(c, screen, services));
  }
}
