import type { Forge } from '@fileforge/core';
import { Hono } from 'hono';
import type { ServerEnv } from '../server-env.js';
import { APP_SCRIPT } from '../ui/app-script.js';
import { fileRow, renderPage } from '../ui/page.js';

const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

/** `/` (the start page, or just its rows with `?fragment=rows`) and `/assets/app.js`. */
export function pageRoutes(forge: Forge) {
  const app = new Hono<ServerEnv>();

  app.get('/', async (c) => {
    const { items } = await forge.files.list({ limit: 100 });
    c.header('Content-Security-Policy', PAGE_CSP);
    if (c.req.query('fragment') === 'rows') return c.html(items.map(fileRow).join(''));
    return c.html(renderPage(items, forge.options.maxFileSize));
  });

  app.get('/assets/app.js', (c) =>
    c.body(APP_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
    }),
  );

  return app;
}
