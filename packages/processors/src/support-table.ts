import type { Processor } from '@fileforge/core';

const cell = (items: readonly string[] | undefined) => (items?.length ? items.join('<br>') : '—');
const escapePipes = (text: string) => text.replace(/\|/g, '\\|');

/**
 * Renders the processors' `support` descriptions as a Markdown table (format, what is
 * extracted, derivatives, limits). `docs/file-format-support.md` embeds this output for
 * the default processors, and a test keeps the two identical.
 */
export function renderSupportTable(processors: readonly Processor[]): string {
  const rows = processors
    .filter((p) => p.support)
    .map((p) => {
      const s = p.support!;
      return `| \`${p.name}\` | ${escapePipes(s.formats)} | ${escapePipes(cell(s.extracts))} | ${escapePipes(cell(s.derivatives))} | ${escapePipes(cell(s.limits))} |`;
    });
  return [
    '| processor | formats | extracts | derivatives | limits and refusals |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
