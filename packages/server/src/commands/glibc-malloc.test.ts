import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocatorFacts, mallocTuningHint } from './glibc-malloc.js';

const glibc = '2.36';

describe('mallocTuningHint', () => {
  it('names both settings on glibc when neither is set', () => {
    const hint = mallocTuningHint({ env: {}, glibcVersion: glibc });
    expect(hint).toContain('MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 missing');
  });

  it('names only the setting that is missing', () => {
    const hint = mallocTuningHint({ env: { MALLOC_ARENA_MAX: '4' }, glibcVersion: glibc });
    expect(hint).toContain('(MALLOC_MMAP_THRESHOLD_=131072 missing)');
  });

  it('stays quiet when both are set, as variables or as glibc tunables', () => {
    const variables = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
    expect(mallocTuningHint({ env: variables, glibcVersion: glibc })).toBeUndefined();
    const tunables = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=65536' };
    expect(mallocTuningHint({ env: tunables, glibcVersion: glibc })).toBeUndefined();
  });

  it('stays quiet on other C libraries (musl, macOS, Windows)', () => {
    expect(mallocTuningHint({ env: {}, glibcVersion: undefined })).toBeUndefined();
  });

  it('reads the glibc version of this process on glibc Linux', () => {
    const onGlibc =
      process.platform === 'linux' && readFileSync('/proc/self/maps', 'utf8').includes('libc.so.6');
    if (onGlibc) expect(allocatorFacts().glibcVersion).toMatch(/^\d+\.\d+/);
    expect(allocatorFacts().env).toBe(process.env);
  });
});
