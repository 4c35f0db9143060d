import { describe, expect, it } from 'vitest';
import { decoderFor, detectLegacyEncoding, recordedEncoding } from './text-encoding.js';

describe('recordedEncoding', () => {
  it('records WHATWG names a download can carry as its charset', () => {
    expect(recordedEncoding('MacRoman')).toBe('macintosh');
    expect(recordedEncoding('CP949')).toBe('euc-kr');
    expect(recordedEncoding('CP874')).toBe('windows-874');
    expect(recordedEncoding('CP932')).toBe('shift-jis');
    expect(recordedEncoding('iso8859-15')).toBe('iso-8859-15');
    expect(recordedEncoding('Windows-1252')).toBe('latin1');
    expect(recordedEncoding('ascii')).toBe('latin1');
    expect(recordedEncoding('Johab')).toBe('johab');
    expect(recordedEncoding('utf-32-le')).toBe('utf-32le');
    expect(recordedEncoding('cp437')).toBe('cp437'); // iconv-lite reads it
    expect(recordedEncoding('no-such-encoding')).toBeNull();
    for (const name of ['macintosh', 'euc-kr', 'shift-jis', 'johab', 'utf-32le', 'cp437', 'latin1']) {
      expect(name).toMatch(/^[a-z0-9-]{1,20}$/);
      expect(() => decoderFor(name)).not.toThrow();
    }
  });
});

describe('decoderFor', () => {
  it('decodes UTF-32 split across chunks', () => {
    const bytes = Buffer.from([0x41, 0, 0, 0, 0x00, 0xf6, 0x01, 0x00]); // "A😀" in UTF-32LE
    const decoder = decoderFor('utf-32le');
    expect(decoder.decode(bytes.subarray(0, 5), { stream: true }) + decoder.decode(bytes.subarray(5))).toBe(
      'A😀',
    );
  });

  it('decodes Johab Hangul, symbols and ASCII', () => {
    // 한 (0xD065), 글 (0x8B69) in Johab, then "!"
    expect(decoderFor('johab').decode(Buffer.from([0xd0, 0x65, 0x8b, 0x69, 0x21]))).toBe('한글!');
  });
});

describe('detectLegacyEncoding', () => {
  it('falls back to latin1 when the head has nothing to go on', async () => {
    expect(await detectLegacyEncoding(Buffer.from('plain ascii words\n'))).toBe('latin1');
  });
});
