import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTeamsConnector } from '../src/connectors/index.js';
import { createTeamsFake, UPLOAD_FRAGMENT_UNIT as UNIT } from './fakes/teams.js';
import { connectorMaker, memoryFile, quickHa, useFakes } from './support/connectors.js';

const fake = createTeamsFake({ smallUploadLimitBytes: 1024 });
const http = useFakes([fake]);

const teams = connectorMaker(createTeamsConnector, () => ({
  credentials: {
    tenantId: fake.credentials.tenant,
    clientId: fake.credentials.clientId,
    clientSecret: fake.credentials.clientSecret,
    authorityUrl: fake.url,
    graphUrl: fake.graphUrl,
  },
  http,
  ha: quickHa,
  chunkBytes: UNIT,
  simpleUploadLimitBytes: 1024,
}));

const channel = () => ({ teamId: fake.defaults.teamId, channelId: fake.defaults.channelId });
const SESSION = /^\/_api\/v2\.0\/uploadSession\//;
const ranges = () => fake.service.requestsTo('PUT', SESSION).map((r) => r.headers['content-range']);
const unavailable = (from: number, times = 1) =>
  fake.service.inject({
    status: 503,
    times,
    headers: { 'retry-after': '0' },
    match: (r) =>
      r.method === 'PUT' &&
      SESSION.test(r.path) &&
      !!r.headers['content-range']?.startsWith(`bytes ${from}-`),
    body: { error: { code: 'serviceNotAvailable', message: 'Service unavailable.' } },
  });

interface Uploaded {
  itemId: string;
  method: string;
  chunks: number;
  resumed: number;
}

async function upload(bytes: Buffer, name: string) {
  const result = await teams().action('uploadFile', channel(), { file: memoryFile(bytes, name) });
  const stored = result.success ? fake.items.get((result.data as Uploaded).itemId) : undefined;
  return { result, stored };
}

describe('Teams upload session: resuming after a lost chunk', () => {
  it('asks the session for nextExpectedRanges after a 503 and sends that chunk again, in the same attempt', async () => {
    const bytes = randomBytes(3 * UNIT + 100);
    const total = bytes.length;
    unavailable(UNIT);
    const { result, stored } = await upload(bytes, 'resume-503.bin');
    expect(result).toMatchObject({
      success: true,
      attempt: 1,
      data: { method: 'session', chunks: 4, resumed: 1 },
    });
    expect(ranges()).toEqual([
      `bytes 0-${UNIT - 1}/${total}`,
      `bytes ${UNIT}-${2 * UNIT - 1}/${total}`,
      `bytes ${UNIT}-${2 * UNIT - 1}/${total}`,
      `bytes ${2 * UNIT}-${3 * UNIT - 1}/${total}`,
      `bytes ${3 * UNIT}-${total - 1}/${total}`,
    ]);
    const [status] = fake.service.requestsTo('GET', SESSION);
    expect(status?.headers.authorization).toBeUndefined();
    expect(fake.service.requestsTo('GET', SESSION)).toHaveLength(1);
    expect(fake.service.requestsTo('POST', /createUploadSession$/)).toHaveLength(1);
    expect(fake.service.requestsTo('DELETE', SESSION)).toHaveLength(0);
    expect(stored?.content?.equals(bytes)).toBe(true);
  });

  it('goes on without re-sending when the session already has the chunk whose answer was lost', async () => {
    const bytes = randomBytes(2 * UNIT + 7);
    fake.loseUploadResponses(1);
    const { result, stored } = await upload(bytes, 'resume-lost.bin');
    expect(result).toMatchObject({ success: true, attempt: 1, data: { chunks: 3, resumed: 1 } });
    // Each range once: a second PUT of the first range would have been a 416 from Graph.
    expect(ranges()).toEqual([
      `bytes 0-${UNIT - 1}/${bytes.length}`,
      `bytes ${UNIT}-${2 * UNIT - 1}/${bytes.length}`,
      `bytes ${2 * UNIT}-${bytes.length - 1}/${bytes.length}`,
    ]);
    expect(fake.service.requestsTo('GET', SESSION)).toHaveLength(1);
    expect(stored?.content?.equals(bytes)).toBe(true);
  });

  it.for(['rename', 'fail', 'replace'] as const)(
    'takes the file Graph made when the last chunk’s answer is lost and its session is gone: no second copy (%s)',
    async (conflictBehavior) => {
      const bytes = randomBytes(2 * UNIT + 7);
      const name = `final-lost-${conflictBehavior}.bin`;
      fake.loseUploadResponses(1, { final: true });
      const result = await teams().action(
        'uploadFile',
        { ...channel(), conflictBehavior },
        { file: memoryFile(bytes, name) },
      );
      expect(result).toMatchObject({ success: true, attempt: 1, data: { chunks: 3, resumed: 1 } });
      const files = fake
        .filesIn(fake.defaults.teamId, fake.defaults.channelId)
        .filter((s) => s.item.name.startsWith(`final-lost-${conflictBehavior}`));
      expect(files.map((s) => s.item.name)).toEqual([name]);
      expect(files[0]?.item.eTag).not.toMatch(/,2"?$/);
      expect((result.data as Uploaded).itemId).toBe(files[0]?.item.id);
      expect(files[0]?.content?.equals(bytes)).toBe(true);
      expect(fake.service.requestsTo('POST', /createUploadSession$/)).toHaveLength(1);
    },
  );

  it.for(['rename', 'replace'] as const)(
    'never takes the file already at the name for this upload when the last chunk’s answer is lost (%s)',
    async (conflictBehavior) => {
      const name = `final-lost-existing-${conflictBehavior}.bin`;
      const upload = (bytes: Buffer) =>
        teams().action('uploadFile', { ...channel(), conflictBehavior }, { file: memoryFile(bytes, name) });
      const first = await upload(randomBytes(2 * UNIT + 7));
      expect(first.success).toBe(true);
      const existing = (first.data as Uploaded).itemId;
      const bytes = randomBytes(2 * UNIT + 7);
      fake.loseUploadResponses(1, { final: true });
      const result = await upload(bytes);
      if (conflictBehavior === 'rename') {
        // The renamed file Graph made cannot be told apart, and a retry would make a second
        // copy: the call ends in doubt instead (connector POST retry duplicates).
        expect(result).toMatchObject({ success: false, attempt: 1, error: { details: { inDoubt: true } } });
        const copies = fake
          .filesIn(fake.defaults.teamId, fake.defaults.channelId)
          .filter((s) => s.content?.equals(bytes));
        expect(copies).toHaveLength(1);
        expect(copies[0]?.item.id).not.toBe(existing);
        return;
      }
      expect(result.success).toBe(true);
      const reported = fake.items.get((result.data as Uploaded).itemId);
      // The file the result names holds this upload's bytes, whichever it is.
      expect(reported?.content?.equals(bytes)).toBe(true);
    },
  );

  it('after resumeAttempts (3) lost tries, cancels the session and starts over on the retry', async () => {
    const bytes = randomBytes(2 * UNIT + 1);
    unavailable(UNIT, 4);
    const { result, stored } = await upload(bytes, 'resume-cap.bin');
    expect(result).toMatchObject({ success: true, attempt: 2, data: { chunks: 3, resumed: 0 } });
    // Attempt 1: the range is tried 4 times (3 resumes), attempt 2: once.
    expect(ranges().filter((r) => r?.startsWith(`bytes ${UNIT}-`))).toHaveLength(5);
    expect(fake.service.requestsTo('GET', SESSION)).toHaveLength(3);
    expect(fake.service.requestsTo('DELETE', SESSION)).toHaveLength(1);
    expect(fake.service.requestsTo('POST', /createUploadSession$/)).toHaveLength(2);
    expect(stored?.content?.equals(bytes)).toBe(true);
  });

  it('cancels and starts over when the session cannot say where it stands (expired: 404)', async () => {
    const bytes = randomBytes(UNIT + 100);
    unavailable(UNIT);
    fake.service.inject({
      status: 404,
      match: (r) => r.method === 'GET' && SESSION.test(r.path),
      body: { error: { code: 'itemNotFound', message: 'The upload session was not found or has expired.' } },
    });
    const { result, stored } = await upload(bytes, 'resume-expired.bin');
    expect(result).toMatchObject({ success: true, attempt: 2, data: { chunks: 2 } });
    expect(fake.service.requestsTo('DELETE', SESSION)).toHaveLength(1);
    expect(fake.service.requestsTo('POST', /createUploadSession$/)).toHaveLength(2);
    expect(stored?.content?.equals(bytes)).toBe(true);
  });

  it('fails at construction on a negative resumeAttempts', () => {
    expect(() => teams({ resumeAttempts: -1 })).toThrow(/resumeAttempts/);
  });
});
