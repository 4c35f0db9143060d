/**
 * The client in a real browser: bundled for the browser platform by esbuild (a Node-only
 * import would break the bundle), loaded into a page in headless Chromium served from
 * another loopback origin (so CORS applies as it would in an app), where it uploads a Blob
 * and lists files against a running server.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServers, type TestServer } from '../../server/test/support/server.js';
import { apiKeyOf } from './support/client-server.js';

const CHROMIUM = '/usr/bin/chromium';
const installed = existsSync(CHROMIUM);
const requireBrowser = process.env.CI === 'true';
const skipReason = `skipped: ${CHROMIUM} is not installed (apt-get install chromium; required when CI=true)`;
if (!installed) console.warn(`[client browser] ${skipReason}`);

const PAGE = `<!doctype html><meta charset="utf-8"><title>client</title>
<script type="module">
  import * as fileforge from '/client.js';
  window.fileforge = fileforge;
  document.title = 'ready';
</script>`;

let browser: Browser | undefined;
let pageServer: Server | undefined;
let server: TestServer;
let pageOrigin = '';

beforeAll(async () => {
  if (!installed) return;
  const bundle = await build({
    entryPoints: [resolve(import.meta.dirname, '../src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  pageServer = createServer((req, res) => {
    const js = req.url === '/client.js';
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
    res.end(js ? script : PAGE);
  });
  pageServer.on('error', (error) => console.error('[client browser] page server:', error));
  await new Promise<void>((done) => pageServer!.listen(0, '127.0.0.1', done));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  server = await startTestServer({}, { allowedOrigins: [pageOrigin] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (pageServer ? pageServer.close(done) : done(undefined)));
  await stopTestServers();
});

describe('@fileforge/client in Chromium', () => {
  if (!installed && requireBrowser) {
    it('needs Debian chromium in CI', () => {
      throw new Error(`${CHROMIUM} is missing: install the Debian "chromium" package in the CI image`);
    });
  }

  it.skipIf(!installed)(
    `uploads a Blob with progress and lists it${installed ? '' : ` (${skipReason})`}`,
    async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(pageOrigin);
      await page.waitForFunction("document.title === 'ready'", undefined, { timeout: 15_000 });

      const result = await page.evaluate(
        async ({ baseUrl, apiKey }) => {
          type Client = import('../src/index.js').FileForgeClient;
          const api = (globalThis as unknown as { fileforge: typeof import('../src/index.js') }).fileforge;
          const client: Client = api.createClient({ baseUrl, apiKey });
          const text = 'hello from the browser\n'.repeat(1000);
          const progress: number[] = [];
          const file = await client.files.upload(new Blob([text], { type: 'text/plain' }), {
            name: 'browser.txt',
            onProgress: ({ loaded }) => progress.push(loaded),
          });
          const names: string[] = [];
          for await (const listed of client.files.list({ limit: 1 })) names.push(listed.name);
          const missing = await client.files.get('01m89x19j1mxtrcxkbagdagbb0').catch((e: unknown) => e);
          const download = await new Response(await client.files.download(file.id)).text();
          return {
            size: file.size,
            expected: new Blob([text]).size,
            progress,
            names,
            same: download === text,
            missing: api.isFileForgeClientError(missing) ? [missing.status, missing.code] : String(missing),
          };
        },
        { baseUrl: server.url, apiKey: apiKeyOf(server) },
      );
      expect(result.size).toBe(result.expected);
      expect(result.progress.at(-1)).toBe(result.expected);
      expect(result.progress).toEqual([...result.progress].sort((a, b) => a - b));
      expect(result.names).toEqual(['browser.txt']);
      expect(result.same).toBe(true);
      expect(result.missing).toEqual([404, 'NOT_FOUND']);
      expect(pageErrors).toEqual([]);
    },
    120_000,
  );
});
