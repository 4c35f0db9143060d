/**
 * Workflow step kinds for tests: `test.echo` answers its `text`; `test.flaky` fails while
 * `failures.left > 0` (counting down), then succeeds.
 */
import type { Forge } from '@fileforge/core';
import { z } from 'zod';

/** Registers `test.echo` and `test.flaky` on `forge`; returns the flaky step's failure counter. */
export function registerEchoAndFlakySteps(forge: Forge, failures = { left: 0 }): { left: number } {
  forge.workflows.registerStep({
    name: 'test.echo',
    options: z.object({ text: z.string() }),
    run: async (_context, { text }) => ({ text }),
  });
  forge.workflows.registerStep({
    name: 'test.flaky',
    options: z.object({}),
    async run() {
      if (failures.left > 0) {
        failures.left -= 1;
        throw new Error('flaky step failed on purpose');
      }
      return { ok: true };
    },
  });
  return failures;
}
