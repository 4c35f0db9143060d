/**
 * Glob matching with the same guarantee as user regexes: it always ends. picomatch turns a
 * glob into a regular expression with one lazy `[^/]*?` per `*`, and such a regex backtracks
 * polynomially in the number of stars: `*a*a*a*a*a*a*a*b` took 32 s against 60 characters.
 * Globs run on any field, the extracted text included, so a search whose worst case is not
 * small runs under the regex time limit and a timeout is "no match" with a warning.
 *
 * @module
 */
import picomatch from 'picomatch';
import { DEFAULT_REGEX_TIMEOUT_MS, execWithTimeout } from './regex-run.js';

/** What {@link runGlob} found. */
export interface GlobRun {
  matched: boolean;
  /** Why the answer is "no match" although the search could not finish (time limit, bad pattern). */
  warning?: string;
}

interface CompiledGlob {
  re: RegExp;
  /** Unbounded quantifiers in the regex: the exponent of its worst-case backtracking. */
  stars: number;
  /** A quantified group: backtracking may be exponential, never run without a limit. */
  nested: boolean;
}

const cache = new Map<string, CompiledGlob | string>();
const CACHE_MAX = 500;
/** Searches whose worst case (length ^ stars) stays under this run directly. */
const DIRECT_BUDGET = 1e7;

function compileGlob(pattern: string, caseInsensitive: boolean): CompiledGlob | string {
  const key = `${caseInsensitive ? 'i' : '-'}${pattern}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let result: CompiledGlob | string;
  try {
    const re = picomatch.makeRe(pattern, { nocase: caseInsensitive, dot: true });
    const source = re.source;
    result = {
      re,
      stars: (source.match(/(?<!\\)[*+]|(?<!\\)\{\d+,\}/g) ?? []).length,
      nested: /(?<!\\)\)(?:[*+]|\{\d+,)/.test(source),
    };
  } catch (error) {
    result = error instanceof Error ? error.message : String(error);
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

/**
 * Whether `text` matches the glob `pattern` (picomatch syntax, dotfiles included). Cheap
 * searches (few stars, short text) run directly; the others under a time limit, where a
 * timeout is no match with a warning — never a hung process.
 *
 * @param timeoutMs wall-clock limit for a guarded search @default 100
 */
export function runGlob(
  pattern: string,
  text: string,
  options: { caseInsensitive?: boolean; timeoutMs?: number } = {},
): GlobRun {
  const glob = compileGlob(pattern, options.caseInsensitive ?? true);
  if (typeof glob === 'string')
    return { matched: false, warning: `[fileforge] Invalid glob "${pattern}": ${glob}` };
  if (!glob.nested && Math.max(text.length, 2) ** glob.stars <= DIRECT_BUDGET) {
    glob.re.lastIndex = 0;
    return { matched: glob.re.test(text) };
  }
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? DEFAULT_REGEX_TIMEOUT_MS));
  const run = execWithTimeout(glob.re, text, timeoutMs);
  if ('match' in run) return { matched: run.match !== null };
  return {
    matched: false,
    warning:
      'timedOut' in run
        ? `[fileforge] Glob "${pattern}" gave up after ${timeoutMs} ms (too many stars for this text); simplify the pattern`
        : `[fileforge] Glob "${pattern}" failed: ${run.error}`,
  };
}
