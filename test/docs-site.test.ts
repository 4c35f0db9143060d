import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSiteLinks, formatBrokenLinks } from '../scripts/check-site-links.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

/** The guides the site must hold, by file name under `docs/`. */
const GUIDES = [
  'README',
  'user-guide',
  'developer-guide',
  'security-guide',
  'file-format-support',
  'processing-pipeline',
  'sorting-rules',
  'sorted-tree',
  'workflows',
  'integrations',
  'webhooks',
  'deployment',
  'scaling',
  'operations',
];

/** Every package's API reference, as the import a user writes. */
const PACKAGES = [
  '@fileforge/core',
  '@fileforge/processors',
  '@fileforge/integrations',
  '@fileforge/server',
  '@fileforge/client',
];

describe('the docs site (npm run docs)', () => {
  let site = '';

  beforeAll(async () => {
    site = await mkdtemp(join(tmpdir(), 'fileforge-site-'));
    // The same configuration as `npm run docs`, written elsewhere so a site being read is untouched.
    await run(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--out', site], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
  }, 600_000);

  afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('renders every guide of docs/ as a page of the site', async () => {
    const pages = new Set((await readdir(join(site, 'documents'))).map((page) => basename(page, '.html')));
    const guides = (await readdir(join(root, 'docs')))
      .filter((file) => file.endsWith('.md'))
      .map((file) => basename(file, '.md'));
    expect(guides).toEqual(expect.arrayContaining(GUIDES));
    for (const guide of guides) expect(pages, `docs/${guide}.md`).toContain(guide);
    const user = await readFile(join(site, 'documents/user-guide.html'), 'utf8');
    expect(user).toContain('<h1');
  });

  it('holds the API reference of every package, named as it is imported', async () => {
    const modules = await readFile(join(site, 'modules.html'), 'utf8');
    for (const name of PACKAGES) expect(modules, name).toContain(`>${name}<`);
  });

  it('opens on the README, whose links lead into the guides and the package READMEs', async () => {
    const index = await readFile(join(site, 'index.html'), 'utf8');
    expect(index).toContain('href="documents/README.html"');
    expect(index).toMatch(/href="documents\/[^"]*core[^"]*README\.html"/);
    expect(existsSync(join(site, 'media/architecture.svg'))).toBe(true);
  });

  it('has no broken internal link or anchor', async () => {
    const broken = await checkSiteLinks(site);
    expect(broken, `broken links:\n${formatBrokenLinks(broken)}`).toEqual([]);
  }, 300_000);
});
