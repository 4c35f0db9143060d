/**
 * Shared helpers of the web UI's browser tests: one headless Chromium per test file with
 * every request that is not to 127.0.0.1 blocked and recorded, sign-in, an axe-core check
 * run inside the page, and screenshots at 360 and 1440 px in both themes saved as test
 * artefacts (`test-results/ui/<screen>-<width>-<theme>.png` at the repository root).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { it } from 'vitest';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
/** Whether Chromium is installed. */
export const browserInstalled = existsSync(CHROMIUM);
const skipReason = `skipped: ${CHROMIUM} is not installed (apt-get install chromium; required when CI=true)`;

/**
 * `it` for a browser test: runs when Chromium is installed; without it the test fails under
 * `CI=true` and is skipped (saying why) elsewhere.
 */
export function itInBrowser(name: string, fn: () => Promise<void>, timeoutMs = 180_000): void {
  if (browserInstalled) it(name, fn, timeoutMs);
  else if (process.env.CI === 'true') {
    it(name, () => {
      throw new Error(`${CHROMIUM} is missing: install the Debian "chromium" package in the CI image`);
    });
  } else it.skip(`${name} (${skipReason})`, fn);
}

/** The test file's browser: one Chromium, one context, its pages, and what it tried to reach off the machine. */
export interface UiBrowser {
  browser: Browser;
  context: BrowserContext;
  /** A new page of the context (errors in the page's scripts are collected in `pageErrors`). */
  newPage(): Promise<Page>;
  /** URLs of requests that would have left 127.0.0.1 (aborted). Assert it stays empty. */
  offMachine: string[];
  /** Uncaught errors of the pages' scripts. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with one context whose every request not addressed to
 * 127.0.0.1 is aborted and recorded (so a CDN, a font or a tracker would show up).
 */
export async function openUiBrowser(options: { acceptDownloads?: boolean } = {}): Promise<UiBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    acceptDownloads: options.acceptDownloads ?? true,
  });
  const offMachine: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    offMachine.push(url.href);
    return route.abort('blockedbyclient');
  });
  return {
    browser,
    context,
    offMachine,
    pageErrors,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    close: () => browser.close(),
  };
}

/** Signs in through the sign-in form at `url` and waits for the signed-in header. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${email}`).waitFor({ timeout: 20_000 });
}

const require = createRequire(import.meta.url);
const AXE_PATH = join(dirname(require.resolve('axe-core')), 'axe.min.js');

/** One axe-core finding, summarised for an assertion message. */
export interface A11yViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2 A/AA rules) inside the page and returns its serious and critical
 * violations — assert the list is empty.
 */
export async function checkA11y(page: Page): Promise<A11yViolation[]> {
  // Evaluated, not added as a <script>: the pages' CSP (script-src 'self') refuses inline scripts.
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(await readFile(AXE_PATH, 'utf8'));
  // A string, run in the page: this package's TypeScript has no DOM types.
  return page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  })()`) as Promise<A11yViolation[]>;
}

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Where screenshots go (ignored by git; CI keeps it as an artefact). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'ui');
/** The widths every screen must work at. */
export const WIDTHS = [360, 1440] as const;
/** The themes (the system's colour scheme). */
export const THEMES = ['light', 'dark'] as const;

/**
 * Audits the screen open in `page` at 360 and 1440 px in the light and the dark theme:
 * saves a full-page screenshot of each as `test-results/ui/<screen>-<width>-<theme>.png`
 * and runs axe in each (contrast differs per theme). Returns the serious and critical
 * violations, tagged with where they were found; also fails when the page scrolls
 * sideways at 360 px. Restores 1440 px and the light theme afterwards.
 */
export async function auditScreen(page: Page, screen: string): Promise<string[]> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const problems: string[] = [];
  for (const width of WIDTHS) {
    for (const colorScheme of THEMES) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme });
      await page.screenshot({
        path: join(SCREENSHOT_DIR, `${screen}-${width}-${colorScheme}.png`),
        fullPage: true,
      });
      for (const v of await checkA11y(page)) {
        problems.push(
          `${screen} ${width}px ${colorScheme}: ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(', ')}`,
        );
      }
      const overflow = (await page.evaluate(
        'document.documentElement.scrollWidth - window.innerWidth',
      )) as number;
      if (overflow > 1)
        problems.push(`${screen} ${width}px ${colorScheme}: the page scrolls sideways by ${overflow}px`);
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}
