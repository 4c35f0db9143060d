/**
 * Crash suites that kill a child dozens of times spend most of their time starting it: through
 * tsx each start transforms and loads the sources again (~1.4 s of CPU). Bundling the child
 * once with esbuild (workspace sources inlined, npm packages left external) makes a start cost
 * ~0.35 s, which keeps a 50-crash suite inside a minute on a loaded two-core machine.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type ChildEnd, runNodeChild } from './crash-child.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Bundles `program` (a TypeScript child) into one ESM file under node_modules/.cache; returns its path. */
export async function bundleChild(program: string, name: string): Promise<string> {
  // Inside the repository, so the external packages resolve from its node_modules; per process,
  // so test runs side by side never share a file.
  const outfile = `${REPO_ROOT}node_modules/.cache/fileforge-tests/${name}-${process.pid}.mjs`;
  await build({
    entryPoints: [program],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@fileforge/source'],
    outfile,
    logLevel: 'warning',
    plugins: [
      {
        name: 'external-npm-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@fileforge/') ? undefined : { external: true },
          );
        },
      },
    ],
  });
  return outfile;
}

/** Runs a bundled child with `FILEFORGE_CRASH_AT=crashAt` to its end or death (see `runCrashChild`). */
export function runBundledChild(bundle: string, args: readonly string[], crashAt: string): Promise<ChildEnd> {
  return runNodeChild([bundle, ...args], crashAt);
}
