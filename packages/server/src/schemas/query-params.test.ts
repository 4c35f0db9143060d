import { describe, expect, it } from 'vitest';
import { isIsoTime, queryText } from './query-params.js';

describe('isIsoTime', () => {
  it('takes ISO 8601 dates and times of real calendar days', () => {
    for (const value of ['2026-11-30', '2024-02-29', '2026-11-30T12:00:00Z', '2026-03-01T01:00:00+02:00']) {
      expect(isIsoTime(value), value).toBe(true);
    }
  });

  it('refuses days no calendar has and text Date.parse merely guesses at', () => {
    for (const value of [
      '2026-02-30',
      '2026-02-29',
      '2026-04-31T10:00:00Z',
      '2026-13-01',
      '1',
      'banana 1',
      '12/01/2026',
    ]) {
      expect(isIsoTime(value), value).toBe(false);
    }
  });
});

describe('queryText', () => {
  it('refuses NUL, which PostgreSQL cannot take in a parameter', () => {
    expect(queryText().safeParse('invoices').success).toBe(true);
    expect(queryText().safeParse('in\0voices').success).toBe(false);
  });
});
