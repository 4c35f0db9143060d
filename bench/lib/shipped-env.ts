/**
 * The environment `fileforge serve` is shipped with: what `npm start` (package.json) and the
 * Dockerfile set besides the user's own configuration. A suite that measures the server as
 * users run it passes this to the child; keep it in step with those two files.
 *
 * - `MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`: glibc malloc (docs/operations.md#memory).
 * - `--max-semi-space-size=1`: V8's young generation capped at 2 × 1 MiB instead of 2 × 16 MiB,
 *   which start-up alone fills (about 25 MiB of idle RSS) and which lets a streaming upload's dead
 *   socket buffers pile up between collections (docs/operations.md#memory); the bench's own
 *   `NODE_OPTIONS`, if any, follows it, as the user's does under `npm start`.
 *
 * @module
 */

/** `npm start`'s V8 options, before any `NODE_OPTIONS` of the caller. */
export const SHIPPED_NODE_OPTIONS = '--max-semi-space-size=1';

/** The variables `npm start` and the Dockerfile add to the server's environment. */
export function shippedServerEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX || '2',
    MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ || '131072',
    NODE_OPTIONS: `${SHIPPED_NODE_OPTIONS} ${env.NODE_OPTIONS ?? ''}`.trim(),
  };
}
