/**
 * Checks every internal link of the built docs site (`npm run docs` → `site/`): each page,
 * stylesheet, script and image a page points to must exist, and each `#anchor` must name an
 * element of the page it points into. External `http(s)` links are skipped: nothing outside
 * this machine is reached. Run with `npx tsx scripts/check-site-links.ts [site-dir]`; exits 1
 * and lists the broken links when there are any.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LinkChecker, LinkState } from 'linkinator';

/** A link of the site that leads nowhere. */
export interface BrokenLink {
  /** The page holding the link, relative to the site root. */
  page: string;
  /** The link as written (relative to the page), or the URL linkinator requested. */
  link: string;
  /** Why it is broken. */
  reason: string;
}

/** Every internal link of the site at `siteDir` that does not resolve; empty when all do. */
export async function checkSiteLinks(siteDir: string): Promise<BrokenLink[]> {
  const root = resolve(siteDir);
  const broken = [...(await missingTargets(root)), ...(await missingAnchors(root))];
  const seen = new Set<string>();
  return broken.filter(
    ({ page, link }) => !seen.has(`${page} ${link}`) && Boolean(seen.add(`${page} ${link}`)),
  );
}

/** Pages and assets that do not exist, found by crawling the site with linkinator. */
async function missingTargets(root: string): Promise<BrokenLink[]> {
  const port = await freePort();
  const origin = `http://localhost:${port}/`;
  const checker = new LinkChecker();
  const result = await checker.check({
    // The root, not `index.html`: linkinator only recurses into URLs under the start path.
    path: '/',
    serverRoot: root,
    port,
    recurse: true,
    concurrency: 20,
    // Only the site's own pages and assets: nothing else is reachable from here.
    linksToSkip: async (link) => !link.startsWith(origin),
  });
  return result.links
    .filter((link) => link.state === LinkState.BROKEN)
    .map((link) => ({
      page: pageName(link.parent ?? '', origin),
      link: link.url.startsWith(origin) ? link.url.slice(origin.length) : link.url,
      reason: `HTTP ${link.status ?? 'error'}`,
    }));
}

/** A crawled URL as a page of the site: `index.html` for the root. */
function pageName(url: string, origin: string): string {
  const path = url.startsWith(origin) ? url.slice(origin.length) : url;
  return path === '' || path === './' ? 'index.html' : path;
}

/** Links whose `#fragment` names no element of their target page. */
async function missingAnchors(root: string): Promise<BrokenLink[]> {
  const pages = (await filesUnder(root)).filter((file) => extname(file) === '.html');
  const anchors = new Map<string, Set<string> | null>();
  const anchorsOf = async (file: string): Promise<Set<string> | null> => {
    if (!anchors.has(file)) {
      const text = await readFile(file, 'utf8').catch(() => null);
      anchors.set(file, text === null ? null : idsIn(text));
    }
    return anchors.get(file) ?? null;
  };
  const broken: BrokenLink[] = [];
  for (const page of pages) {
    const html = await readFile(page, 'utf8');
    for (const href of hrefsIn(html)) {
      const hash = href.indexOf('#');
      if (hash < 0 || /^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
      const fragment = decodeURIComponent(href.slice(hash + 1));
      if (fragment === '') continue;
      const path = href.slice(0, hash).split('?')[0] ?? '';
      const target = path === '' ? page : join(dirname(page), decodeURIComponent(path));
      if (!['.html', '.svg'].includes(extname(target))) continue;
      const ids = await anchorsOf(target);
      // A missing file is reported by the crawl; here only the anchor matters.
      if (ids && !ids.has(fragment)) {
        broken.push({ page: relative(root, page), link: href, reason: `no element with id "${fragment}"` });
      }
    }
  }
  return broken;
}

/** Every `id` and `<a name>` of a page: the anchors a `#fragment` can point to. */
function idsIn(html: string): Set<string> {
  const ids = new Set<string>();
  for (const match of html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    ids.add(decodeEntities(match[1] ?? match[2] ?? ''));
  }
  return ids;
}

/** Every `href` of a page, entities decoded. */
function hrefsIn(html: string): string[] {
  return [...html.matchAll(/\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((match) =>
    decodeEntities(match[1] ?? match[2] ?? ''),
  );
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** A port free on this machine for linkinator's static server. */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Renders broken links one per line, for a test failure or the console. */
export function formatBrokenLinks(broken: BrokenLink[]): string {
  return broken.map(({ page, link, reason }) => `${page}: ${link} (${reason})`).join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const site = process.argv[2] ?? 'site';
  const broken = await checkSiteLinks(site);
  if (broken.length > 0) {
    console.error(`${broken.length} broken link(s) in ${site}:\n${formatBrokenLinks(broken)}`);
    process.exit(1);
  }
  console.log(`every internal link of ${site} resolves`);
}
