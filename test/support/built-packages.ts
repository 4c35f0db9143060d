/**
 * The public packages and their built `dist/`, for the repository-level checks that need what
 * `npm pack` would publish (packaging) or what the container image runs (deployment).
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The published packages (folder under `packages/`), in build order: dependencies first. */
export const PUBLIC_PACKAGES = ['core', 'processors', 'integrations', 'client', 'server'] as const;
export type PublicPackage = (typeof PUBLIC_PACKAGES)[number];

/** `execFile`, promised. */
export const run = promisify(execFile);

/** The files a package's build must leave for its exports and bin to resolve. */
function builtMarkers(name: PublicPackage): string[] {
  const dir = join(ROOT, 'packages', name, 'dist');
  return [
    join(dir, 'index.js'),
    join(dir, 'index.d.ts'),
    ...(name === 'server' ? [join(dir, 'cli.js')] : []),
    // The classifier's training worker, started from a file beside the bundle.
    ...(name === 'core' ? [join(dir, 'classifier', 'train-worker.js')] : []),
  ];
}

const LOCK = join(ROOT, 'node_modules', '.fileforge-repo-build.lock');

/** Holds a cross-process lock (a directory) while `fn` runs, so two test files never build at once. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a killed run is taken over after ten minutes.
      const age = Date.now() - (await stat(LOCK).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 600_000) await rm(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds (`npm run build -w packages/<name>`) each of `names`, and every package before it in
 * build order, whose `dist/` is missing; a `dist/` already there is used as it is.
 */
export async function ensureBuilt(names: readonly PublicPackage[] = PUBLIC_PACKAGES): Promise<void> {
  const upTo = Math.max(...names.map((n) => PUBLIC_PACKAGES.indexOf(n)));
  const needed = PUBLIC_PACKAGES.filter((_n, i) => i <= upTo);
  const missing = () => needed.filter((n) => !builtMarkers(n).every((file) => existsSync(file)));
  if (missing().length === 0) return;
  await withBuildLock(async () => {
    for (const name of missing()) {
      await run('npm', ['run', 'build', '-w', `packages/${name}`], {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
      });
    }
  });
}
