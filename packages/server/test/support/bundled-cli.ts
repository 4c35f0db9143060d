/**
 * The `fileforge` CLI bundled once with esbuild (workspace sources inlined, npm packages left
 * external), for suites that start `fileforge serve` many times: through tsx every start
 * transforms and loads the sources again, several seconds on a loaded machine; the bundle
 * starts in a fraction of that. Same program as {@link spawnCli} runs, same environment.
 *
 * @module
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type CliProcess, killHard, spawnNode } from './child.js';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
// One level below packages/server (the CLI reads `../package.json` for its version), in a
// git-ignored folder; per process, so runs side by side never share a file.
const OUT = fileURLToPath(new URL(`../../node_modules/.fileforge-cli-${process.pid}.mjs`, import.meta.url));

/** Bundles the CLI; returns the bundle's path and a function removing it. */
export async function bundleCli(): Promise<{ path: string; remove: () => Promise<void> }> {
  await build({
    entryPoints: [CLI],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@fileforge/source'],
    outfile: OUT,
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
  return { path: OUT, remove: () => rm(OUT, { force: true }) };
}

/** Spawns the bundled `fileforge <args>` with `env` added to this process's environment. */
export function spawnBundledCli(
  bundle: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): CliProcess {
  return spawnNode([bundle, ...args], env, input);
}

/** What a finished CLI run printed, and its exit code. */
export interface CliRun {
  code: number | NodeJS.Signals;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bundled `fileforge <args>` to its end (killed after `timeoutMs`, failing the test
 * with what it printed) and returns its exit code and output; `input` is piped to its stdin.
 */
export async function runBundledCli(
  bundle: string,
  args: string[],
  env: Record<string, string> = {},
  { input, timeoutMs = 180_000 }: { input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const cli = spawnBundledCli(bundle, args, { LOG_LEVEL: 'warn', ...env }, input);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const code = await Promise.race([cli.exited, timedOut]);
  clearTimeout(timer);
  if (code === 'timeout') {
    await killHard(cli);
    const { stdout, stderr } = cli.output();
    throw new Error(`fileforge ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stderr}${stdout}`);
  }
  return { code, ...cli.output() };
}
