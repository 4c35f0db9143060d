/**
 * What `npm publish` would ship, for each public package: only the built output and the
 * package's documents, nothing private, and a package that passes publint (strict) and
 * "Are the types wrong?" (attw, ESM-only profile: the packages publish no CommonJS).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, PUBLIC_PACKAGES, ROOT } from './support/built-packages.js';
import { attw, type Packed, pack } from './support/pack.js';

/** What a package may publish: its build, its CLI, and the documents npm and readers expect. */
const ALLOWED = /^(dist\/.+|bin\/[^/]+|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/;
/** Names that are never published, wherever they are. */
const PRIVATE_NAME =
  /(^|\/)(\.env(\..*)?|\.npmrc|secrets\.json|.*\.(pem|key|p12|pfx|db|sqlite|tsbuildinfo))$/i;
/** Key material or cloud credentials inside a published file. */
const SECRET_CONTENT = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*(\\n|\n)?\s*[A-Za-z0-9+/=]{64}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bxox[abpr]-[0-9A-Za-z-]{10,}/,
];

const TIMEOUT = 300_000;

describe.each(PUBLIC_PACKAGES)('the published @fileforge/%s', (folder) => {
  const dir = join(ROOT, 'packages', folder);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  let destination = '';
  let packed: Packed;

  beforeAll(async () => {
    await ensureBuilt([folder]);
    destination = await mkdtemp(join(tmpdir(), `fileforge-pack-${folder}-`));
    packed = await pack(folder, destination);
  }, TIMEOUT);
  afterAll(async () => {
    if (destination) await rm(destination, { recursive: true, force: true });
  });

  it('contains only dist/, bin/, package.json, README.md, CHANGELOG.md and LICENSE', () => {
    expect(packed.name).toBe(`@fileforge/${folder}`);
    expect(packed.files.filter((f) => !ALLOWED.test(f))).toEqual([]);
    expect(packed.files.filter((f) => PRIVATE_NAME.test(f))).toEqual([]);
    expect(packed.files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js']),
    );
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(manifest.license).toBe('MIT');
  });

  it('ships no secrets, and source maps only with their sources inside (src/ is not published)', () => {
    for (const file of packed.files.filter((f) => f.startsWith('dist/') || f.startsWith('bin/'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const pattern of SECRET_CONTENT)
        expect(pattern.test(text), `${file} matches ${pattern}`).toBe(false);
      if (!file.endsWith('.map')) continue;
      expect(packed.files, `${file} without its script`).toContain(file.slice(0, -'.map'.length));
      const map = JSON.parse(text) as { sources: string[]; sourcesContent?: Array<string | null> };
      expect(map.sourcesContent?.length, `${file} has no sourcesContent`).toBe(map.sources.length);
    }
  });

  it('publishes every file its exports and bin name', () => {
    const targets: string[] = [];
    const collect = (value: unknown, condition?: string) => {
      if (typeof value === 'string') {
        // The workspace-only condition points at sources, which consumers never resolve.
        if (condition !== '@fileforge/source') targets.push(value.replace(/^\.\//, ''));
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) collect(v, k.startsWith('.') ? condition : k);
      }
    };
    collect(manifest.exports);
    collect(manifest.bin);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !packed.files.includes(t))).toEqual([]);
  });

  it(
    'passes publint (strict: warnings count as errors)',
    async () => {
      const bytes = packed.bytes;
      const tarball = bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
      const { messages, pkg } = await publint({ pack: { tarball }, strict: true, level: 'warning' });
      expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'passes attw for ESM consumers: every entry point resolves to its types under node16 and bundlers',
    async () => {
      const report = await attw(packed.tarball);
      const ignored = new Set(['node10', 'node16-cjs']);
      expect(report.problems.filter((p) => !p.resolutionKind || !ignored.has(p.resolutionKind))).toEqual([]);
      expect(report.code).toBe(0);
      const subpaths = Object.keys(manifest.exports).filter((s) => s !== './package.json');
      for (const subpath of subpaths) {
        const entry = report.entrypoints[subpath];
        expect(entry, subpath).toBeDefined();
        for (const kind of ['node16-esm', 'bundler']) {
          const resolution = entry.resolutions[kind]?.resolution;
          expect(resolution?.isTypeScript, `${subpath} (${kind})`).toBe(true);
          expect(resolution?.fileName, `${subpath} (${kind})`).toMatch(/\.d\.ts$/);
        }
      }
    },
    TIMEOUT,
  );
});
