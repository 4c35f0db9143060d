/**
 * `npm pack` of a public package into a temporary folder: the tarball the registry would
 * receive and its file list, shared by the packaging checks (file list, publint, attw).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, run } from './built-packages.js';

export interface Packed {
  name: string;
  /** Path of the .tgz. */
  tarball: string;
  /** Paths inside the package (`dist/index.js`, `package.json`, …). */
  files: string[];
  /** The tarball's bytes. */
  bytes: Buffer;
}

/** Packs `packages/<folder>` into `destination` (lifecycle scripts off: dist/ is built beforehand). */
export async function pack(folder: string, destination: string): Promise<Packed> {
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    {
      cwd: join(ROOT, 'packages', folder),
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
    name: string;
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const tarball = join(destination, result!.filename);
  return {
    name: result!.name,
    tarball,
    files: result!.files.map((f) => f.path),
    bytes: await readFile(tarball),
  };
}

/** One problem `attw` reports, for one entry point under one module resolution. */
export interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

/** `attw <tarball> --profile esm-only --format json`: its exit code and report. */
export async function attw(tarball: string): Promise<{
  code: number;
  problems: AttwProblem[];
  // biome-ignore lint/suspicious/noExplicitAny: attw's analysis is read where the test needs it
  entrypoints: Record<string, any>;
}> {
  const bin = join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
  let stdout: string;
  let code = 0;
  try {
    ({ stdout } = await run(process.execPath, [bin, tarball, '--profile', 'esm-only', '--format', 'json'], {
      maxBuffer: 256 * 1024 * 1024,
    }));
  } catch (error) {
    const failed = error as { stdout?: string; code?: number };
    if (typeof failed.stdout !== 'string' || failed.stdout === '') throw error;
    stdout = failed.stdout;
    code = typeof failed.code === 'number' ? failed.code : 1;
  }
  const report = JSON.parse(stdout) as {
    problems?: Record<string, AttwProblem[]> | AttwProblem[];
    analysis: { entrypoints: Record<string, unknown> };
  };
  const problems = Array.isArray(report.problems)
    ? report.problems
    : Object.values(report.problems ?? {}).flat();
  return { code, problems, entrypoints: report.analysis.entrypoints };
}
