import { describe, expect, it } from 'vitest';
import { readsRoot } from './expressions.js';

describe('readsRoot', () => {
  it('finds a root named anywhere in a step’s `if` and `with`', () => {
    expect(readsRoot(['{{ steps.a.output.ok }}', { force: '{{ input.force }}' }], 'file')).toBe(false);
    expect(readsRoot([undefined, { deep: ['x', { label: 'to {{ file.name }}' }] }], 'file')).toBe(true);
    expect(readsRoot(['{{ file.metadata.pdf.pages }}', undefined], 'file')).toBe(true);
    expect(readsRoot([undefined, undefined], 'file')).toBe(false);
  });

  it('counts an unreadable template as reading it (rendered as written, but never guessed)', () => {
    expect(readsRoot([undefined, { x: '{{ file.name' }], 'file')).toBe(true);
  });
});
