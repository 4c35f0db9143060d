import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTeamsConnector, defineTeamsConnector } from '../src/connectors/index.js';
import { createTeamsFake, teamsFaults, UPLOAD_FRAGMENT_UNIT } from './fakes/teams.js';
import {
  connectorMaker,
  memoryFile,
  quickHa,
  recordingSleep,
  useConnectorForge,
  useFakes,
} from './support/connectors.js';

/** Above this the fake refuses a single PUT (413), as Graph does above its ceiling; the connector must switch first. */
const SMALL_LIMIT = 64 * 1024;

const fake = createTeamsFake({ smallUploadLimitBytes: SMALL_LIMIT });
const http = useFakes([fake]);

const appOnly = () => ({
  tenantId: fake.credentials.tenant,
  clientId: fake.credentials.clientId,
  clientSecret: fake.credentials.clientSecret,
  authorityUrl: fake.url,
  graphUrl: fake.graphUrl,
});
const delegated = () => ({ ...appOnly(), refreshToken: fake.credentials.refreshToken });

const teams = connectorMaker(createTeamsConnector, () => ({ credentials: appOnly(), http, ha: quickHa }));

const channel = () => ({ teamId: fake.defaults.teamId, channelId: fake.defaults.channelId });
const tokenPath = () => `/${fake.credentials.tenant}/oauth2/v2.0/token`;
const tokenForms = () =>
  fake.service.requestsTo('POST', tokenPath()).map((r) => new URLSearchParams(r.body.toString('utf8')));
const folderPath = () =>
  `/v1.0/teams/${fake.defaults.teamId}/channels/${encodeURIComponent(fake.defaults.channelId)}/filesFolder`;
const messagesPath = () =>
  `/v1.0/teams/${fake.defaults.teamId}/channels/${encodeURIComponent(fake.defaults.channelId)}/messages`;

/** What the identity fake issued the request's bearer token for: `app` or `delegated:{user}`. */
function grantOf(authorization: string | undefined): string | undefined {
  const grant = fake.identity.grantOf(/^Bearer (.+)$/.exec(authorization ?? '')?.[1]);
  return grant ? `${grant.kind}${grant.user ? `:${grant.user}` : ''}` : undefined;
}

interface Uploaded {
  itemId: string;
  name: string;
  webUrl: string;
  eTag: string;
  attachmentId: string;
  method: 'simple' | 'session';
  chunks: number;
}

describe('Teams connector', () => {
  it('gets an app-only token with client credentials and the Graph .default scope', async () => {
    const result = await teams().testConnection();
    expect(result).toMatchObject({ success: true, data: { mode: 'app-only' } });
    const [call] = fake.service.requestsTo('POST', tokenPath());
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(tokenForms()[0]!)).toEqual({
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
      client_id: fake.credentials.clientId,
      client_secret: fake.credentials.clientSecret,
    });
  });

  it('reports a wrong client secret as INTEGRATION_REJECTED', async () => {
    const result = await teams({ credentials: { ...appOnly(), clientSecret: 'wrong' } }).testConnection();
    expect(result).toMatchObject({ success: false, attempt: 1, error: { code: 'INTEGRATION_REJECTED' } });
  });

  it('uploads a small file with one PUT into the channel’s files folder', async () => {
    const bytes = Buffer.from('%PDF-1.7\n small channel file\n');
    const result = await teams().action('uploadFile', channel(), { file: memoryFile(bytes) });
    expect(result).toMatchObject({ success: true, data: { method: 'simple', name: 'invoice-42.pdf' } });
    const data = result.data as Uploaded;

    const [folder] = fake.service.requestsTo('GET', folderPath());
    expect(grantOf(folder?.headers.authorization)).toBe('app');
    const putPath = `/v1.0/drives/${fake.defaults.driveId}/items/${fake.defaults.folderId}:/invoice-42.pdf:/content`;
    const [put] = fake.service.requestsTo('PUT', putPath);
    expect(put?.headers['content-type']).toBe('application/octet-stream');
    expect(grantOf(put?.headers.authorization)).toBe('app');
    expect(put?.query.get('@microsoft.graph.conflictBehavior')).toBe('rename');
    expect(put?.body.equals(bytes)).toBe(true);

    const stored = fake.items.get(data.itemId)!;
    expect(stored.content?.equals(bytes)).toBe(true);
    expect(stored.item.parentReference.id).toBe(fake.defaults.folderId);
    expect(data.attachmentId).toBe(stored.item.eTag.slice(2, 38).toLowerCase());
    expect(data.webUrl).toBe(stored.item.webUrl);
  });

  it('refuses a name clash with conflictBehavior "fail" (409 nameAlreadyExists), without retrying', async () => {
    const file = memoryFile(Buffer.from('first'), 'clash.txt');
    expect((await teams().action('uploadFile', channel(), { file })).success).toBe(true);
    const result = await teams().action('uploadFile', { ...channel(), conflictBehavior: 'fail' }, { file });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 409, vendorCode: 'nameAlreadyExists' } },
    });
  });

  it('maps an unknown channel (404 NotFound) to INTEGRATION_REJECTED, one request', async () => {
    const result = await teams().action(
      'uploadFile',
      { teamId: fake.defaults.teamId, channelId: '19:nope@thread.tacv2' },
      { file: memoryFile(Buffer.from('x')) },
    );
    expect(result.error).toMatchObject({
      code: 'INTEGRATION_REJECTED',
      details: { status: 404, vendorCode: 'NotFound' },
    });
    expect(fake.service.requestsTo('GET', /filesFolder$/)).toHaveLength(1);
  });

  it('gets exactly one new token when the old one has expired', async () => {
    const connector = teams();
    expect(
      (await connector.action('uploadFile', channel(), { file: memoryFile(Buffer.from('a'), 'a.txt') }))
        .success,
    ).toBe(true);
    fake.service.tokens.expireAll();
    const again = await connector.action('uploadFile', channel(), {
      file: memoryFile(Buffer.from('b'), 'b.txt'),
    });
    expect(again).toMatchObject({ success: true, attempt: 1 });
    expect(tokenForms()).toHaveLength(2);
    const folders = fake.service.requestsTo('GET', folderPath());
    expect(folders).toHaveLength(3); // first upload, the refused one, the one with the new token
  });

  it('waits for Retry-After on 429 and 503 and then succeeds', async () => {
    fake.service.inject(teamsFaults.throttled(2));
    fake.service.inject(teamsFaults.unavailable(1));
    const { waits, sleep } = recordingSleep();
    const result = await teams({ clock: { sleep } }).action('uploadFile', channel(), {
      file: memoryFile(Buffer.from('throttled'), 'throttled.txt'),
    });
    expect(result).toMatchObject({ success: true, attempt: 3 });
    expect(waits).toEqual([2000, 1000]);
  });

  it('posts a message with a reference attachment to the uploaded file, with a delegated token', async () => {
    const connector = teams({ credentials: delegated() });
    const upload = await connector.action('uploadFile', channel(), {
      file: memoryFile(Buffer.from('%PDF-1.7\n')),
    });
    const file = upload.data as Uploaded;
    const result = await connector.action('postMessage', {
      ...channel(),
      content: 'invoice-42 processed',
      attachment: file,
    });
    expect(result).toMatchObject({ success: true, data: { messageId: expect.any(String) } });

    const [form] = tokenForms();
    expect(form?.get('grant_type')).toBe('refresh_token');
    expect(form?.get('refresh_token')).toBe(fake.credentials.refreshToken);
    expect(form?.get('scope')).toContain('ChannelMessage.Send');
    const [post] = fake.service.requestsTo('POST', messagesPath());
    expect(grantOf(post?.headers.authorization)).toBe(`delegated:${fake.credentials.user.upn}`);
    expect(post?.headers['content-type']).toMatch(/^application\/json/);
    expect(post?.json).toEqual({
      body: {
        contentType: 'html',
        content: `invoice-42 processed <attachment id="${file.attachmentId}"></attachment>`,
      },
      attachments: [
        { id: file.attachmentId, contentType: 'reference', contentUrl: file.webUrl, name: file.name },
      ],
    });
    const message = fake.teams
      .get(fake.defaults.teamId)!
      .channels.get(fake.defaults.channelId)!
      .messages.at(-1)!;
    expect(message.attachments).toEqual([
      { id: file.attachmentId, contentType: 'reference', contentUrl: file.webUrl, name: file.name },
    ]);
    expect(message.id).toBe((result.data as { messageId: string }).messageId);

    const reply = await connector.action('postMessage', {
      ...channel(),
      content: 'a <reply> in text',
      contentType: 'text',
      replyToId: message.id,
    });
    expect(reply.success).toBe(true);
    const [replyPost] = fake.service.requestsTo('POST', `${messagesPath()}/${message.id}/replies`);
    expect(replyPost?.json).toEqual({ body: { contentType: 'text', content: 'a <reply> in text' } });
  });

  it('uses the rotated refresh token for the one re-auth after a delegated token expires', async () => {
    const connector = teams({ credentials: delegated() });
    expect((await connector.action('postMessage', { ...channel(), content: 'first' })).success).toBe(true);
    fake.service.tokens.expireAll();
    const again = await connector.action('postMessage', { ...channel(), content: 'second' });
    expect(again).toMatchObject({ success: true, attempt: 1 });
    const forms = tokenForms();
    expect(forms).toHaveLength(2);
    expect(forms[0]?.get('refresh_token')).toBe(fake.credentials.refreshToken);
    // the identity platform answered the first refresh with a new refresh token; that one is used next
    expect(forms[1]?.get('refresh_token')).toMatch(/^1\.AR/);
    expect(forms[1]?.get('refresh_token')).not.toBe(fake.credentials.refreshToken);
  });

  it('refuses postMessage with app-only credentials before calling Graph, naming the fix', async () => {
    const result = await teams().action('postMessage', { ...channel(), content: 'hi' });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { vendorCode: 'delegated_auth_required' } },
    });
    expect(result.error?.message).toMatch(/delegated.*refreshToken.*bot/);
    expect(fake.service.requestsTo('POST', messagesPath())).toHaveLength(0);
  });

  it('explains Graph’s own app-only refusal of a channel message (401 Unauthorized)', async () => {
    const result = await teams().send(messagesPath().replace('/v1.0/', ''), {
      body: { contentType: 'text', content: 'hi' },
    });
    expect(result).toMatchObject({
      success: false,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 401, vendorCode: 'Unauthorized' } },
    });
    expect(result.error?.message).toMatch(/delegated auth.*application-only context/);
  });

  it('fails at construction on a chunk size that is not a multiple of 320 KiB', () => {
    expect(() => teams({ chunkBytes: 1_000_000 })).toThrow(/chunkBytes.*multiple of 327680/);
  });
});

describe('Teams uploadFile of a large stored file through the integrations service', () => {
  const t = useConnectorForge({
    ha: quickHa,
    connectors: [
      defineTeamsConnector({ simpleUploadLimitBytes: SMALL_LIMIT, chunkBytes: UPLOAD_FRAGMENT_UNIT }),
    ],
  });

  it('streams it in 320 KiB chunks through an upload session, without Authorization, bytes intact', async () => {
    const bytes = randomBytes(UPLOAD_FRAGMENT_UNIT * 2 + 12_345);
    const fileId = await t.store('scan-archive.pdf', bytes);
    await t.service.connect('teams', appOnly());
    fake.service.requests.length = 0;

    const result = await t.service.action('teams', 'uploadFile', channel(), { fileId });
    expect(result).toMatchObject({
      success: true,
      data: { method: 'session', chunks: 3, name: 'scan-archive.pdf', size: bytes.length },
    });

    const sessionPath = `/v1.0/drives/${fake.defaults.driveId}/items/${fake.defaults.folderId}:/scan-archive.pdf:/createUploadSession`;
    const [create] = fake.service.requestsTo('POST', sessionPath);
    expect(grantOf(create?.headers.authorization)).toBe('app');
    expect(create?.json).toEqual({
      item: { '@microsoft.graph.conflictBehavior': 'rename', name: 'scan-archive.pdf' },
    });
    expect(fake.service.requestsTo('PUT', /:\/content$/)).toHaveLength(0);

    const chunks = fake.service.requestsTo('PUT', /^\/_api\/v2\.0\/uploadSession\//);
    const total = bytes.length;
    expect(chunks.map((c) => c.headers['content-range'])).toEqual([
      `bytes 0-${UPLOAD_FRAGMENT_UNIT - 1}/${total}`,
      `bytes ${UPLOAD_FRAGMENT_UNIT}-${2 * UPLOAD_FRAGMENT_UNIT - 1}/${total}`,
      `bytes ${2 * UPLOAD_FRAGMENT_UNIT}-${total - 1}/${total}`,
    ]);
    expect(chunks.map((c) => c.headers['content-length'])).toEqual([
      String(UPLOAD_FRAGMENT_UNIT),
      String(UPLOAD_FRAGMENT_UNIT),
      '12345',
    ]);
    for (const chunk of chunks) expect(chunk.headers.authorization).toBeUndefined();

    const stored = fake
      .filesIn(fake.defaults.teamId, fake.defaults.channelId)
      .find((s) => s.item.id === (result.data as Uploaded).itemId);
    expect(stored?.content?.equals(bytes)).toBe(true);
    expect(fake.sessions.size).toBe(0);
  });

  it('resumes the session when a chunk fails, re-sending only that chunk (connectors-teams-resume.test.ts has the rest)', async () => {
    const bytes = randomBytes(UPLOAD_FRAGMENT_UNIT + 100);
    const fileId = await t.store('retry.bin', bytes);
    fake.service.requests.length = 0;
    fake.service.inject({
      status: 503,
      headers: { 'retry-after': '0' },
      match: (r) => r.method === 'PUT' && r.path.startsWith('/_api/v2.0/uploadSession/'),
      body: { error: { code: 'serviceNotAvailable', message: 'Service unavailable.' } },
    });
    const result = await t.service.action('teams', 'uploadFile', channel(), { fileId });
    expect(result).toMatchObject({
      success: true,
      attempt: 1,
      data: { method: 'session', chunks: 2, resumed: 1 },
    });
    expect(fake.service.requestsTo('PUT', /^\/_api\/v2\.0\/uploadSession\//)).toHaveLength(3);
    expect(fake.service.requestsTo('DELETE', /^\/_api\/v2\.0\/uploadSession\//)).toHaveLength(0);
    expect(fake.service.requestsTo('POST', /createUploadSession$/)).toHaveLength(1);
    const stored = fake.items.get((result.data as Uploaded).itemId);
    expect(stored?.content?.equals(bytes)).toBe(true);
  });
});
