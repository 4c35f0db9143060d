import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startAccessServer, stopAccessServers } from './support/access-server.js';

const CHROMIUM = '/usr/bin/chromium';
const installed = existsSync(CHROMIUM);
const requireBrowser = process.env.CI === 'true';
const skipReason = `skipped: ${CHROMIUM} is not installed (apt-get install chromium; required when CI=true)`;
const PASSWORD = 'correct horse battery staple';

if (!installed) console.warn(`[access-login-browser] ${skipReason}`);

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await stopAccessServers();
});

describe('web login with an email in several tenants (issue 7)', () => {
  if (!installed && requireBrowser) {
    it('needs Debian chromium in CI', () => {
      throw new Error(`${CHROMIUM} is missing: install the Debian "chromium" package in the CI image`);
    });
  }

  it.skipIf(!installed)(
    `shows the tenant field when the login needs it, then logs in to the chosen tenant${installed ? '' : ` (${skipReason})`}`,
    async () => {
      const { url, server } = await startAccessServer();
      for (const [tenant, role] of [
        ['default', 'viewer'],
        ['acme', 'editor'],
      ] as const) {
        await server.auth.createUser({ email: 'twin@example.com', password: PASSWORD, role, tenant });
      }
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));

      await page.goto(url);
      const tenantField = page.locator('#tenant-field');
      await expect(tenantField.isVisible()).resolves.toBe(false);
      await page.fill('input[name=email]', 'twin@example.com');
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');

      await tenantField.waitFor({ state: 'visible', timeout: 15_000 });
      await expect(page.locator('#message').textContent()).resolves.toContain('acme, default');
      await expect(
        page
          .locator('#tenant-choices option')
          .evaluateAll((options) => options.map((o) => o.getAttribute('value'))),
      ).resolves.toEqual(['acme', 'default']);

      await page.fill('input[name=tenant]', 'acme');
      await page.click('button[type=submit]');
      await page.getByText('Signed in as twin@example.com (editor)').waitFor({ timeout: 15_000 });
      expect(pageErrors).toEqual([]);
    },
    120_000,
  );
});
