import { describe, expect, it } from 'vitest';
import { TextCollector } from './text-collector.js';

describe('TextCollector', () => {
  it('joins paragraphs with one newline and drops trailing and repeated breaks', () => {
    const text = new TextCollector(100);
    text.newline();
    text.append('one');
    text.newline();
    text.newline();
    text.append('two');
    text.newline();
    expect(text.result()).toEqual({ text: 'one\ntwo', textTruncated: false });
  });

  it('cuts at the cap and reports truncation only when text was dropped', () => {
    const exact = new TextCollector(3);
    exact.append('abc');
    exact.newline();
    expect(exact.result()).toEqual({ text: 'abc', textTruncated: false });
    exact.append('d');
    expect(exact.result()).toEqual({ text: 'abc', textTruncated: true });
    expect(exact.full).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const text = new TextCollector(2);
    text.append('a😀');
    expect(text.result()).toEqual({ text: 'a', textTruncated: true });
  });
});
