import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_DEPTH, nestingProblem, parseDocumentText } from './read-document.js';

describe('reading rule and workflow documents (issue 10 review)', () => {
  it('refuses YAML whose aliases would expand exponentially', () => {
    let doc = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 6; i++, prev = `b${i - 1}`) {
      doc += `b${i}: &b${i} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    }
    expect(() => parseDocumentText(doc)).toThrow(/alias/i);
    // A few aliases, as a real rules file may use, still parse.
    expect(parseDocumentText('shared: &s { field: ext, op: eq, value: pdf }\nuse: [*s, *s]\n')).toMatchObject(
      {
        use: [{ field: 'ext' }, { field: 'ext' }],
      },
    );
  });

  it('finds nesting deeper than the limit without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    expect(nestingProblem(deep)).toMatch(/Nested more than 64 levels deep \(at not\.not/);
    let fine: unknown = 1;
    for (let i = 0; i < MAX_DOCUMENT_DEPTH; i++) fine = [fine];
    expect(nestingProblem(fine)).toBeNull();
  });
});
