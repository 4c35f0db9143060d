/**
 * Every GET operation of the served OpenAPI document, asked with hostile query parameters,
 * path parameters and headers from a seeded generator: the server must answer each with a
 * status below 500, and an API error must be the documented JSON error with a code. Cursors,
 * limits, dates, ids and sort keys are parsed by many modules; this holds them all to it.
 */
import { createRng, type Rng } from '@fileforge/test-fixtures/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProblem, type FuzzTarget, startFuzzTarget } from './support/fuzz-target.js';
import { stopTestServers } from './support/server.js';

/** Requests per operation. */
const CASES = 12;

let target: FuzzTarget;

beforeAll(async () => {
  target = await startFuzzTarget();
}, 60_000);

afterAll(stopTestServers);

/** Values that have broken parsers elsewhere: numbers out of range, wrong types, encodings. */
function hostile(r: Rng, valid?: string): string {
  const pick = r.int(0, 13);
  switch (pick) {
    case 0:
      return '';
    case 1:
      return r.pick(['-1', '0', '1e309', '99999999999999999999', 'NaN', 'Infinity', '1.5', '0x10']);
    case 2:
      return Buffer.from(Array.from({ length: r.int(1, 40) }, () => r.int(0, 255))).toString('base64url');
    case 3:
      return Buffer.from(
        JSON.stringify(r.pick([[], [1, 2, 3, 4], ['created', 'desc', null, 'x'], {}, 'a\nb', null])),
      ).toString('base64url');
    case 4:
      return 'a\nb';
    case 5:
      return 'é'.repeat(r.int(1, 300));
    case 6:
      return '../../etc/passwd';
    case 7:
      return r.pick(['true', 'false', 'null', '[]', '{}', '%00', '\u0000']);
    case 8:
      return r.pick(['2026-13-45', '2026-11-30T25:61:00Z', 'yesterday', '-271821-04-20T00:00:00Z']);
    case 9:
      return 'x'.repeat(r.int(100, 5000));
    case 10:
      return r.pick(['name', 'size', 'created', 'asc', 'desc', 'pending', 'processed', '*', 'image/*']);
    default:
      return valid ?? String(r.int(0, 1000));
  }
}

const encode = (v: string) => encodeURIComponent(v);
/** What a client can put in a header (fetch refuses control characters and non-Latin-1). */
const headerValue = (v: string) => v.replace(/[^\x20-\x7e]/g, '').trim() || 'x';

interface Operation {
  path: string;
  query: string[];
}

describe('GET operations under hostile parameters (seeded fuzz)', () => {
  it('answers every request below 500, with a JSON error code for every API refusal', {
    timeout: 180_000,
  }, async () => {
    const doc = await target.document<{ parameters?: Array<{ in: string; name: string }> }>();
    const operations: Operation[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const get = ops.get;
      // The live event stream stays open by design (live-events.test.ts covers it).
      if (!get || path === '/api/v1/events') continue;
      operations.push({
        path,
        query: (get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
    expect(operations.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let refusals = 0;
    for (const [index, op] of operations.entries()) {
      for (let n = 0; n < CASES; n++) {
        const r = createRng(index * 1000 + n + 1);
        const path = target.fillPath(op.path, r, () => hostile(r));
        const params = [
          ...op.query,
          ...(r.chance(0.3) ? [r.pick(['cursor', 'limit', 'sort', 'page', 'q'])] : []),
        ]
          .filter(() => r.chance(0.7))
          .map((name) => `${encode(name)}=${encode(hostile(r))}`);
        const url = `${path}${params.length > 0 ? `?${params.join('&')}` : ''}`;
        const headers: Record<string, string> = {};
        if (r.chance(0.2))
          headers.range = headerValue(r.pick(['bytes=0-', 'bytes=-1', `bytes=${hostile(r)}`, hostile(r)]));
        if (r.chance(0.2)) headers['if-none-match'] = headerValue(hostile(r));
        if (r.chance(0.1)) headers['accept-language'] = headerValue(hostile(r));
        const res = await target.server.api(url, { headers, redirect: 'manual' });
        const api = url.startsWith('/api/');
        if (api && res.status >= 400 && res.status < 500) refusals++;
        const problem = answerProblem(res.status, await res.text(), api);
        if (problem) failures.push(`GET ${url.slice(0, 300)} → ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    // The generator gets past validation often enough to reach the handlers' own parsing.
    expect(refusals).toBeGreaterThan(50);
  });
});
