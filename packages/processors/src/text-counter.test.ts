import { describe, expect, it } from 'vitest';
import { TextCounter } from './text-counter.js';

function count(pieces: string[], excerptChars = 500) {
  const counter = new TextCounter(excerptChars);
  for (const piece of pieces) counter.write(piece);
  return counter.result();
}

describe('TextCounter', () => {
  it('counts a word split across two pieces once', () => {
    expect(count(['hel', 'lo world']).words).toBe(2);
    expect(count(['hello', ' world']).words).toBe(2);
    expect(count(['hello ', 'world']).words).toBe(2);
  });

  it('counts lines as line feeds plus an unterminated last line', () => {
    expect(count(['']).lines).toBe(0);
    expect(count(['one']).lines).toBe(1);
    expect(count(['one\n']).lines).toBe(1);
    expect(count(['one\ntwo']).lines).toBe(2);
    expect(count(['\n\n']).lines).toBe(2);
  });

  it('tells LF, CRLF, mixed and no line breaks apart, even with CR and LF in different pieces', () => {
    expect(count(['a\nb\n']).lineEndings).toBe('lf');
    expect(count(['a\r', '\nb\r\n']).lineEndings).toBe('crlf');
    expect(count(['a\r\nb\n']).lineEndings).toBe('mixed');
    expect(count(['a b']).lineEndings).toBe('none');
  });

  it('counts characters as code points and treats Unicode spaces as word breaks', () => {
    const result = count(['😀 naïve\u00a0caf', 'é\u3000日本']);
    expect(result.characters).toBe([...'😀 naïve\u00a0café\u3000日本'].length);
    expect(result.words).toBe(4);
  });

  it('keeps an excerpt of the first characters without splitting a surrogate pair', () => {
    expect(count(['ab', 'cdef'], 3).excerpt).toBe('abc');
    expect(count(['a😀b'], 2).excerpt).toBe('a😀');
    expect(count(['abc'], 0).excerpt).toBe('');
  });
});
