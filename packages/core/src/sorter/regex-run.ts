import { createContext, Script } from 'node:vm';

/** What {@link runRegex} found. */
export interface RegexRun {
  /** The first match, or `null`. */
  match: { text: string; index: number } | null;
  /** Why the search could not finish (bad pattern, time limit); the result then is "no match". */
  warning?: string;
}

/** Default limit for one regex search: enough for any sane pattern over a long text. */
export const DEFAULT_REGEX_TIMEOUT_MS = 100;

const compiled = new Map<string, RegExp | string>();
const COMPILED_MAX = 500;

/**
 * Compiles a user pattern once and caches it (or the reason it failed). Patterns are tried
 * with the `u` flag first (Unicode classes, strict escapes) and then without, so Python-style
 * patterns written for Paperless mostly work unchanged.
 *
 * @returns the RegExp, or a message saying why the pattern is invalid
 */
export function compileRegex(pattern: string, caseInsensitive: boolean): RegExp | string {
  const key = `${caseInsensitive ? 'i' : '-'}${pattern}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  let result: RegExp | string;
  try {
    result = new RegExp(pattern, caseInsensitive ? 'iu' : 'u');
  } catch {
    try {
      result = new RegExp(pattern, caseInsensitive ? 'i' : '');
    } catch (error) {
      result = error instanceof Error ? error.message : String(error);
    }
  }
  if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, result);
  return result;
}

// Compiled once: the search runs in a separate context only so V8 can interrupt it. A vm
// `timeout` terminates execution even inside irregexp's backtracking, which a plain
// `RegExp.exec` on the main thread offers no way to stop.
const search = new Script(
  '(() => { const m = re.exec(text); return m === null ? null : [m[0], m.index]; })()',
  {
    filename: 'fileforge-sorter-regex.vm',
  },
);
let context: ReturnType<typeof createContext> | undefined;

/** What {@link execWithTimeout} found: the first match, or why it gave up. */
export type LimitedExec =
  | { match: { text: string; index: number } | null }
  | { timedOut: true }
  | { error: string };

/**
 * Runs `re.exec(text)` with a wall-clock limit, in a separate context V8 can interrupt (a
 * plain `exec` on the main thread cannot be stopped mid-backtrack). Costs a watchdog thread
 * per call (~0.1 ms): callers with provably cheap searches may run them directly.
 */
export function execWithTimeout(re: RegExp, text: string, timeoutMs: number): LimitedExec {
  context ??= createContext(Object.create(null));
  context.re = re;
  context.text = text;
  re.lastIndex = 0;
  try {
    const found = search.runInContext(context, { timeout: Math.max(1, Math.floor(timeoutMs)) }) as
      | [string, number]
      | null;
    return { match: found === null ? null : { text: found[0], index: found[1] } };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { timedOut: true };
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    context.re = undefined;
    context.text = undefined;
  }
}

/**
 * Searches `text` for `pattern` with a time limit. A bad pattern or a search that runs past
 * `timeoutMs` (catastrophic backtracking such as `(a+)+$`) is "no match" with a warning —
 * never a thrown error and never a hung process.
 *
 * @param timeoutMs wall-clock limit for the search @default 100
 */
export function runRegex(
  pattern: string,
  text: string,
  options: { caseInsensitive?: boolean; timeoutMs?: number } = {},
): RegexRun {
  const re = compileRegex(pattern, options.caseInsensitive ?? false);
  if (typeof re === 'string') {
    return { match: null, warning: `[fileforge:sorter] Invalid regular expression /${pattern}/: ${re}` };
  }
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? DEFAULT_REGEX_TIMEOUT_MS));
  const run = execWithTimeout(re, text, timeoutMs);
  if ('match' in run) return { match: run.match };
  return {
    match: null,
    warning:
      'timedOut' in run
        ? `[fileforge:sorter] Regular expression /${pattern}/ gave up after ${timeoutMs} ms (catastrophic backtracking?); simplify the pattern`
        : `[fileforge:sorter] Regular expression /${pattern}/ failed: ${run.error}`,
  };
}
