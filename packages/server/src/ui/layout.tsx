import type { Child } from 'hono/jsx';
import type { Permission } from '../auth/permissions.js';
import { NAV } from './nav.js';
import type { ScreenUser } from './screen.js';

/** Props of {@link Layout}. */
export interface LayoutProps {
  title: string;
  /** The signed-in user; without one the page has no navigation (sign-in, setup). */
  user?: ScreenUser;
  can?: (permission: Permission) => boolean;
  /** The nav section marked `aria-current="page"`. */
  section?: string;
  /** Screen scripts (asset names) loaded after `core.js`. */
  scripts?: readonly string[];
  children?: Child;
}

/** The confirmation dialog `FF.confirm()` drives (one per page). */
function ConfirmDialog() {
  return (
    <dialog id="ff-confirm" aria-labelledby="ff-confirm-title">
      <form method="dialog">
        <h2 id="ff-confirm-title">Please confirm</h2>
        <p data-ff-confirm-text="" />
        <div class="actions">
          <button class="btn" value="cancel" type="submit">
            Cancel
          </button>
          <button class="btn btn-danger" value="ok" type="submit" data-ff-confirm-ok="">
            Confirm
          </button>
        </div>
      </form>
    </dialog>
  );
}

function Header({ user, can, section }: Pick<LayoutProps, 'user' | 'can' | 'section'>) {
  return (
    <header class="app-header">
      <a class="brand" href="/">
        FileForge
      </a>
      {user && can ? (
        <>
          <nav class="main-nav" aria-label="Main">
            <ul>
              {NAV.filter((item) => can(item.permission)).map((item) => (
                <li>
                  <a href={item.href} aria-current={item.section === section ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="user-menu">
            <span>
              Signed in as {user.email} ({user.role})
            </span>
            <a href="/account/password">Change password</a>
            <button type="button" class="btn btn-small" data-ff-logout="">
              Log out
            </button>
          </div>
        </>
      ) : null}
    </header>
  );
}

/**
 * Every page's frame: skip link, header with the main navigation (items the role may not
 * open are left out), the main landmark, a polite live region (`#ff-live`) for status
 * changes, the confirmation dialog, the stylesheet and `core.js` + the screen's scripts.
 */
export function Layout({ title, user, can, section, scripts = [], children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · FileForge`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/core.js" defer />
        {scripts.map((name) => (
          <script src={`/assets/${name}`} defer />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <Header user={user} can={can} section={section} />
        <main id="main" tabindex={-1}>
          {children}
        </main>
        <div id="ff-live" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" />
        <ConfirmDialog />
      </body>
    </html>
  );
}

/** Serialises a page: the doctype plus the rendered element. */
export async function renderDocument(node: Child): Promise<string> {
  return `<!doctype html>${await Promise.resolve(String(await node))}`;
}
