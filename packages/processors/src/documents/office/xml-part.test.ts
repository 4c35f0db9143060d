import { buildZip } from '@fileforge/test-fixtures/zip';
import { describe, expect, it } from 'vitest';
import { rangedFile } from '../../../test/archive-fixtures.js';
import { withGuardedZip } from '../../archives/zip-guard.js';
import { resolveZipLimits } from '../../archives/zip-limits.js';
import { readXmlPart } from './xml-part.js';

const signal = new AbortController().signal;
const big = 'x'.repeat(2_000_000);

/** Reads `xml` as the only part of a zip with a 100,000-character buffer cap: what the visitor saw, and the answer. */
async function read(xml: string) {
  const seen: string[] = [];
  const file = rangedFile(buildZip([{ name: 'part.xml', data: xml }]));
  const complete = await withGuardedZip(file, resolveZipLimits({}, 'test'), signal, (zip) =>
    readXmlPart(
      zip,
      zip.entries[0]!,
      {
        open: (name) => seen.push(`<${name}>`),
        text: (t) => seen.push(t.length > 20 ? `${t.length} chars` : t),
      },
      signal,
      { maxBufferedChars: 100_000 },
    ),
  );
  return { complete, seen };
}

describe('readXmlPart', () => {
  it('reads a part whole while saxes holds little at a time', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `<t>${i}</t>`).join('');
    const { complete, seen } = await read(`<doc>${many}</doc>`);
    expect(complete).toBe(true);
    expect(seen).toHaveLength(40_001);
  });

  // Each of these would make saxes hold 2 M characters until its end: the part is left
  // at the cap, what came before it kept, nothing after it read.
  it.each([
    ['a text node', `<t>${big}</t>`],
    ['a comment', `<!-- ${big} -->`],
    ['a comment with tags in it', `<!-- ${'<a>'.repeat(700_000)} -->`],
    ['a CDATA section', `<![CDATA[${big}]]>`],
    ['an entity name', `<t>&${big};</t>`],
    ['an attribute value', `<t a="${big}"/>`],
    ['many attributes', `<t ${Array.from({ length: 200_000 }, (_, i) => `a${i}=""`).join(' ')}/>`],
    ['deep nesting', `${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}`],
  ])('leaves a part at %s too large to hold', async (_, xml) => {
    const { complete, seen } = await read(`<doc><p>before</p>${xml}<p>after</p></doc>`);
    expect(complete).toBe(false);
    expect(seen.slice(0, 3)).toEqual(['<doc>', '<p>', 'before']);
    expect(seen).not.toContain('after');
    expect(seen.some((s) => s.endsWith('chars'))).toBe(false);
  });
});
