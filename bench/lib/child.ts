import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root, where `node_modules/` and `packages/` live. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Absolute path of a script under `bench/children/`. Children are plain `.mjs` run on bare
 * `node` (no loader, no `--conditions`), so `@fileforge/*` resolves to the built `dist/`.
 */
export function childScript(name: string): string {
  return join(repoRoot, 'bench', 'children', name);
}

/** Keeps the last `max` characters written to a stream, for error messages. */
export function tail(max = 4000): { push(chunk: Buffer | string): void; text(): string } {
  let text = '';
  return {
    push(chunk) {
      text = (text + chunk.toString()).slice(-max);
    },
    text: () => text.trim(),
  };
}

/**
 * Runs a bench child script in its own Node process (so its peak RSS is its own) and
 * resolves with the one message it sends back; rejects with its stderr if it exits without.
 * The child gets no Node flags: `fork()` would otherwise pass on this process's `execArgv`,
 * which under `npm run bench` holds tsx's loader and `--conditions=@fileforge/source`.
 */
export function runChild<T>(script: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, {
      cwd: repoRoot,
      execArgv: [],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const stderr = tail();
    let result: { value: T } | undefined;
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('message', (message) => {
      result = { value: message as T };
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (result && code === 0) resolve(result.value);
      else
        reject(
          new Error(`[bench:child] ${script} exited with ${signal ?? code}: ${stderr.text() || 'no output'}`),
        );
    });
  });
}

// The child side (reportToParent) is plain JavaScript: bench/lib/child-report.mjs.
