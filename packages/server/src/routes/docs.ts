import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from '@hono/zod-openapi';
import { notFound } from '../errors/respond.js';
import { type ApiApp, publicRoute } from '../http/openapi.js';
import { webStreamOf } from '../http/web-stream.js';

/** Swagger UI files served from the `swagger-ui-dist` npm package: nothing comes from a CDN. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT_SCRIPT = `window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    validatorUrl: null,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>FileForge API reference</title>
  <link rel="icon" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>`;

const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' as const } } },
});

/** `GET /openapi.json` (OpenAPI 3.1, generated from the routes' zod schemas) and `GET /docs` (Swagger UI). */
export function registerDocsRoutes(app: ApiApp, info: { version: string }): void {
  const assetDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'FileForge API',
      version: info.version,
      description:
        'Upload, inspect and download files. Authenticate with `Authorization: Bearer <access token or API key>`.',
    },
    servers: [{ url: '/' }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from /api/v1/auth/login, or an API key (ff_…)',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/openapi.json',
    tags: ['Documentation'],
    summary: 'This document',
    responses: {
      200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
    },
  });

  app.openapi(
    publicRoute({
      method: 'get',
      path: '/docs',
      tags: ['Documentation'],
      summary: 'Interactive API reference',
      responses: { 200: html('Swagger UI') },
    }),
    async (c) => {
      c.header('Content-Security-Policy', DOCS_CSP);
      return c.html(PAGE);
    },
  );

  app.openapi(
    publicRoute({
      method: 'get',
      path: '/docs/assets/{file}',
      tags: ['Documentation'],
      summary: 'Swagger UI assets (from the swagger-ui-dist package)',
      request: {
        params: z.object({
          file: z
            .string()
            .max(64)
            .openapi({ param: { name: 'file', in: 'path' } }),
        }),
      },
      responses: { 200: { description: 'A static asset' }, 404: { description: 'No such asset' } },
    }),
    async (c) => {
      const file = c.req.param('file')!;
      if (file === 'init.js')
        return c.body(INIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      // Own keys only: `__proto__` or `toString` is no asset.
      const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
      if (!type) throw notFound('Asset');
      const path = join(assetDir, file);
      const { size } = await stat(path);
      return c.body(webStreamOf(createReadStream(path)), 200, {
        'Content-Type': type,
        'Content-Length': String(size),
        'Cache-Control': 'public, max-age=86400',
      });
    },
  );
}
