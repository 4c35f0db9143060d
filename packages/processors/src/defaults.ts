import type { Processor } from '@fileforge/core';
import { createGenericProcessor } from './generic.js';
import { createTextProcessor } from './text.js';

/**
 * The processors a forge runs unless told otherwise: `generic` on every file, then `text`
 * on text files, each with its default options. Build the list yourself to configure them.
 *
 * @example
 * ```ts
 * const forge = await createForge({ dataDir: './data', processors: defaultProcessors() });
 * ```
 */
export function defaultProcessors(): Processor[] {
  return [createGenericProcessor(), createTextProcessor()];
}
