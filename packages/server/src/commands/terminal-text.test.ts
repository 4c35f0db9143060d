import { describe, expect, it } from 'vitest';
import { shown } from './terminal-text.js';

describe('shown', () => {
  it('escapes what could steer a terminal and keeps every other character', () => {
    expect(shown('real.exe\r\x1b[2Kfake.txt')).toBe('real.exe\\x0d\\x1b[2Kfake.txt');
    expect(shown('a\nb\tc\x7f\x9b')).toBe('a\\x0ab\\x09c\\x7f\\x9b');
    expect(shown('invoice\u202Efdp.exe')).toBe('invoice\\u202efdp.exe');
    expect(shown('café 📄 résumé.pdf')).toBe('café 📄 résumé.pdf');
  });
});
