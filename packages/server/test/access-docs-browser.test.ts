import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startAccessServer, stopAccessServers } from './support/access-server.js';

const CHROMIUM = '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const installed = existsSync(CHROMIUM);
const requireBrowser = process.env.CI === 'true';
const skipReason = `skipped: ${CHROMIUM} is not installed (apt-get install chromium; required when CI=true)`;

if (!installed) console.warn(`[access-docs-browser] ${skipReason}`);

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await stopAccessServers();
});

describe('/docs in headless Chromium', () => {
  if (!installed && requireBrowser) {
    it('needs Debian chromium in CI', () => {
      throw new Error(`${CHROMIUM} is missing: install the Debian "chromium" package in the CI image`);
    });
  }

  it.skipIf(!installed)(
    `renders the API reference with every request staying on localhost${installed ? '' : ` (${skipReason})`}`,
    async () => {
      const { url } = await startAccessServer();
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-background-networking',
          '--disable-gpu',
          '--no-first-run',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const page = await browser.newPage();
      const requested: string[] = [];
      const leftLocalhost: string[] = [];
      const failed: string[] = [];
      const pageErrors: string[] = [];
      // Anything bound elsewhere is recorded and blocked, so a regression cannot phone home from CI.
      await page.route('**/*', async (route) => {
        const target = new URL(route.request().url());
        requested.push(target.href);
        if (
          target.protocol === 'data:' ||
          target.protocol === 'blob:' ||
          LOCAL_HOSTS.has(target.host.replace(/:\d+$/, ''))
        ) {
          await route.continue();
        } else {
          leftLocalhost.push(target.href);
          await route.abort('blockedbyclient');
        }
      });
      page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
      page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.url()}: HTTP ${response.status()}`);
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));

      const res = await page.goto(`${url}/docs`);
      expect(res?.status()).toBe(200);
      await page
        .getByText('List, filter, sort and search files')
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      await expect(page.getByText('/api/v1/files', { exact: true }).first().isVisible()).resolves.toBe(true);
      await page.waitForLoadState('networkidle');

      expect(requested).toContain(`${url}/openapi.json`);
      expect(requested.some((r) => r.startsWith(`${url}/docs/assets/swagger-ui-bundle.js`))).toBe(true);
      expect(leftLocalhost).toEqual([]);
      expect(failed).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    // Starting Chromium and rendering Swagger UI's bundle takes a while on a busy CI machine.
    120_000,
  );
});
