import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './child.js';

/** The built entry points the measured processes load, each with the sources it is built from. */
export const BUILD_OUTPUTS = [
  { output: 'packages/core/dist/index.js', src: 'packages/core/src' },
  { output: 'packages/processors/dist/index.js', src: 'packages/processors/src' },
  { output: 'packages/processors/dist/image/index.js', src: 'packages/processors/src' },
  { output: 'packages/integrations/dist/index.js', src: 'packages/integrations/src' },
  { output: 'packages/server/dist/cli.js', src: 'packages/server/src' },
] as const;

/** Newest mtime (ms) of any file under `dir`, or 0 when it has none. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Why each output cannot be used as it is: missing, or older than a file in its `src/`. */
export function staleOutputs(): string[] {
  const reasons: string[] = [];
  for (const { output, src } of BUILD_OUTPUTS) {
    const built = statSync(join(repoRoot, output), { throwIfNoEntry: false });
    if (!built) {
      reasons.push(`${output} is missing`);
      continue;
    }
    if (newestMtime(join(repoRoot, src)) > built.mtimeMs) reasons.push(`${output} is older than ${src}/`);
  }
  return reasons;
}

/**
 * Makes sure the measured processes run the current code: when a built entry point is
 * missing or older than its sources, runs `npm run build` once (output shown) and checks
 * again. Throws when the build fails or an output is still missing afterwards; a source
 * edited again while the build ran only earns a note.
 */
export function ensureBuilt(log: (line: string) => void): void {
  const before = staleOutputs();
  if (before.length === 0) {
    log('  built packages are up to date');
    return;
  }
  log(`  ${before.join('; ')}: running npm run build`);
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: repoRoot,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error) throw new Error(`[bench:build] Could not run npm run build: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`[bench:build] npm run build exited with ${result.signal ?? result.status}`);
  const after = staleOutputs();
  const missing = after.filter((reason) => reason.endsWith('is missing'));
  if (missing.length > 0) throw new Error(`[bench:build] After npm run build, ${missing.join('; ')}`);
  if (after.length > 0) log(`  NOTE: sources changed during the build: ${after.join('; ')}`);
  else log('  build done');
}
