/**
 * The hostile-input catalogue of the security spec — sections A (but A6, which arrives with
 * resumable uploads), H, I and K1–K3 — against a running server (issue 12). One table drives
 * every row; each row mounts its attack, and then the same four checks follow: the status
 * and stable error code, nothing stored beyond what the row expects (no record, no blob, an
 * empty temp area), `/health` still 200, and a normal upload still stored and served byte
 * for byte. Rows name deeper tests of the same case (`seeAlso`) where timing bounds, fuzzing
 * or unit-level detail live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileCase, LIMIT, LIMITED_SERVER, MAIN_SERVER } from './support/hostile-case.js';
import { expectNothingStoredSince, expectServerHealthy, storeState } from './support/hostile-checks.js';
import { NAME_CASES } from './support/hostile-names.js';
import { SERVING_CASES } from './support/hostile-serving.js';
import { TRANSPORT_CASES } from './support/hostile-transport.js';
import { startTestServer, stopTestServers, type TestServer } from './support/server.js';

const CASES: HostileCase[] = [...TRANSPORT_CASES, ...NAME_CASES, ...SERVING_CASES];

let main: TestServer;
let limited: TestServer;

beforeAll(async () => {
  [main, limited] = await Promise.all([
    startTestServer({ maxFileSize: LIMIT }, MAIN_SERVER),
    startTestServer({ maxFileSize: LIMIT }, LIMITED_SERVER),
  ]);
});
afterAll(stopTestServers);

describe('hostile-input catalogue against the running server (issue 12)', () => {
  it('covers every case of sections A (but A6), H, I and K1–K3', () => {
    const ids = new Set(CASES.map((c) => c.id));
    const wanted = ['A1', 'A2', 'A3', 'A4', 'A5', 'A7', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7', 'H8'];
    expect([...ids].sort()).toEqual([...wanted, 'I1', 'I2', 'I3', 'K1', 'K2', 'K3'].sort());
  });

  it.each(CASES)('$id: $attack', async (row) => {
    const server = row.server === 'limited' ? limited : main;
    const before = await storeState(server);
    const outcome = await row.run(server);
    expect({ status: outcome.status, code: outcome.code }).toEqual(row.expected);
    await expectNothingStoredSince(server, before, outcome.storedIds ?? []);
    await expectServerHealthy(server);
  });
});
