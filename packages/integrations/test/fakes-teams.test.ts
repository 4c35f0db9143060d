/**
 * The Teams fake against the documentation (spec §5): the documented requests, replayed with plain
 * fetch, and the documented answers — including the refusals a connector must handle.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTeamsFake,
  type DriveItem,
  type TeamsFake,
  teamsFaults,
  UPLOAD_FRAGMENT_UNIT,
} from './fakes/teams.js';

describe('Teams fake (Microsoft Graph v1.0)', () => {
  let teams: TeamsFake;
  let appToken: string;
  let userToken: string;

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const channelUrl = () =>
    `${teams.graphUrl}/teams/${teams.defaults.teamId}/channels/${encodeURIComponent(teams.defaults.channelId)}`;
  const contentUrl = (name: string, query = '') =>
    `${teams.graphUrl}/drives/${teams.defaults.driveId}/items/${teams.defaults.folderId}:/${encodeURIComponent(name)}:/content${query}`;

  async function token(body: Record<string, string>) {
    return fetch(teams.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: teams.credentials.clientId,
        client_secret: teams.credentials.clientSecret,
        ...body,
      }),
    });
  }

  async function upload(name: string, bytes: Buffer, query = '') {
    return fetch(contentUrl(name, query), {
      method: 'PUT',
      headers: { ...auth(appToken), 'content-type': 'application/octet-stream' },
      body: bytes,
    });
  }

  beforeEach(async () => {
    teams = createTeamsFake({ smallUploadLimitBytes: 1024 * 1024 });
    await teams.start();
    const app = await token({ grant_type: 'client_credentials', scope: teams.credentials.scope });
    appToken = ((await app.json()) as { access_token: string }).access_token;
    const user = await token({
      grant_type: 'refresh_token',
      refresh_token: teams.credentials.refreshToken,
      scope: 'https://graph.microsoft.com/ChannelMessage.Send offline_access',
    });
    userToken = ((await user.json()) as { access_token: string }).access_token;
  });
  afterEach(() => teams.close());

  it('returns the channel files folder with parentReference.driveId', async () => {
    const res = await fetch(`${channelUrl()}/filesFolder`, { headers: auth(appToken) });
    expect(res.status).toBe(200);
    const folder = (await res.json()) as DriveItem;
    expect(folder).toMatchObject({
      id: teams.defaults.folderId,
      name: 'General',
      parentReference: { driveId: teams.defaults.driveId, driveType: 'documentLibrary' },
    });
    expect(folder.webUrl).toMatch(/^https:\/\/.+\/General$/);
  });

  it('answers 201 for a new small upload, 200 when replacing, 409 nameAlreadyExists with conflictBehavior=fail', async () => {
    const first = await upload('invoice-42.pdf', Buffer.from('v1'));
    expect(first.status).toBe(201);
    const item = (await first.json()) as DriveItem;
    expect(item).toMatchObject({ name: 'invoice-42.pdf', size: 2, file: { mimeType: 'application/pdf' } });
    expect(item.eTag).toMatch(/^"\{[0-9A-F-]{36}\},1"$/);
    expect((await upload('invoice-42.pdf', Buffer.from('v2'))).status).toBe(200);
    const renamed = await upload(
      'invoice-42.pdf',
      Buffer.from('v3'),
      '?@microsoft.graph.conflictBehavior=rename',
    );
    expect(((await renamed.json()) as DriveItem).name).toBe('invoice-42 1.pdf');
    const clash = await upload(
      'invoice-42.pdf',
      Buffer.from('v4'),
      '?@microsoft.graph.conflictBehavior=fail',
    );
    expect(clash.status).toBe(409);
    expect(await clash.json()).toMatchObject({
      error: { code: 'nameAlreadyExists', innerError: { 'request-id': expect.any(String) } },
    });
  });

  it('refuses a simple upload above the limit with 413 (use an upload session)', async () => {
    const res = await upload('big.bin', Buffer.alloc(1024 * 1024 + 1));
    expect(res.status).toBe(413);
  });

  it('runs an upload session: 202 with nextExpectedRanges, 416 on a re-sent range, 400 off the 320 KiB grid, 401 with Authorization, then 201', async () => {
    const session = await fetch(
      `${teams.graphUrl}/drives/${teams.defaults.driveId}/items/${teams.defaults.folderId}:/big.pdf:/createUploadSession`,
      {
        method: 'POST',
        headers: { ...auth(appToken), 'content-type': 'application/json' },
        body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'rename', name: 'big.pdf' } }),
      },
    );
    const { uploadUrl, nextExpectedRanges } = (await session.json()) as {
      uploadUrl: string;
      nextExpectedRanges: string[];
    };
    expect(nextExpectedRanges).toEqual(['0-']);
    expect(uploadUrl.startsWith(teams.url)).toBe(true);
    const total = UPLOAD_FRAGMENT_UNIT + 100;
    const bytes = Buffer.alloc(total, 1);
    const put = (start: number, end: number, headers: Record<string, string> = {}) =>
      fetch(uploadUrl, {
        method: 'PUT',
        headers: { 'content-range': `bytes ${start}-${end}/${total}`, ...headers },
        body: bytes.subarray(start, end + 1),
      });
    expect((await put(0, UPLOAD_FRAGMENT_UNIT - 1, auth(appToken))).status).toBe(401);
    // the URL is the credential: without its tempauth it is not authenticated, even when it names the session
    const bare = await fetch(uploadUrl.split('?')[0]!, {
      method: 'PUT',
      headers: { 'content-range': `bytes 0-${UPLOAD_FRAGMENT_UNIT - 1}/${total}` },
      body: bytes.subarray(0, UPLOAD_FRAGMENT_UNIT),
    });
    expect(bare.status).toBe(401);
    expect((await put(0, 999)).status).toBe(400);
    const first = await put(0, UPLOAD_FRAGMENT_UNIT - 1);
    expect(first.status).toBe(202);
    expect(((await first.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([
      `${UPLOAD_FRAGMENT_UNIT}-`,
    ]);
    expect((await put(0, UPLOAD_FRAGMENT_UNIT - 1)).status).toBe(416);
    const status = await fetch(uploadUrl);
    expect(((await status.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([
      `${UPLOAD_FRAGMENT_UNIT}-`,
    ]);
    const last = await put(UPLOAD_FRAGMENT_UNIT, total - 1);
    expect(last.status).toBe(201);
    const item = (await last.json()) as DriveItem;
    expect(teams.items.get(item.id)?.content?.equals(bytes)).toBe(true);
    expect((await fetch(uploadUrl, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses an app-only message POST the way Graph does (401 Unauthorized, import purposes only)', async () => {
    const res = await fetch(`${channelUrl()}/messages`, {
      method: 'POST',
      headers: { ...auth(appToken), 'content-type': 'application/json' },
      body: JSON.stringify({ body: { content: 'hello' } }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'Unauthorized',
        message: expect.stringContaining('application-only context only for import purposes'),
      },
    });
  });

  it('posts a message with a reference attachment for a delegated token, and checks the attachment', async () => {
    const item = (await (await upload('invoice-42.pdf', Buffer.from('%PDF'))).json()) as DriveItem;
    const guid = /\{(.+)\}/.exec(item.eTag)![1]!;
    const post = (body: unknown) =>
      fetch(`${channelUrl()}/messages`, {
        method: 'POST',
        headers: { ...auth(userToken), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const attachment = { id: guid, contentType: 'reference', contentUrl: item.webUrl, name: item.name };
    const ok = await post({
      body: { contentType: 'html', content: `invoice-42 processed <attachment id="${guid}"></attachment>` },
      attachments: [attachment],
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      id: expect.any(String),
      messageType: 'message',
      attachments: [attachment],
    });
    const untagged = await post({
      body: { contentType: 'html', content: 'no tag' },
      attachments: [attachment],
    });
    expect(untagged.status).toBe(400);
    expect(await untagged.json()).toMatchObject({ error: { code: 'BadRequest' } });
    const wrongId = await post({
      body: { contentType: 'html', content: '<attachment id="x"></attachment>' },
      attachments: [{ ...attachment, id: 'x' }],
    });
    expect(wrongId.status).toBe(400);
  });

  it('refuses a message from a delegated token without ChannelMessage.Send (403), and a body that is not JSON (415)', async () => {
    const filesOnly = await token({
      grant_type: 'refresh_token',
      refresh_token: teams.credentials.refreshToken,
      scope: 'https://graph.microsoft.com/Files.ReadWrite.All offline_access',
    });
    const filesToken = ((await filesOnly.json()) as { access_token: string }).access_token;
    const post = (bearer: string, contentType: string) =>
      fetch(`${channelUrl()}/messages`, {
        method: 'POST',
        headers: { ...auth(bearer), 'content-type': contentType },
        body: JSON.stringify({ body: { content: 'hello' } }),
      });
    const forbidden = await post(filesToken, 'application/json');
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'Forbidden' } });
    expect((await post(userToken, 'text/plain')).status).toBe(415);
    expect((await post(userToken, 'application/json; charset=utf-8')).status).toBe(201);
  });

  it('throttles channel messages past 10 per 10 s with 429 TooManyRequests and Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 11; i += 1) {
      last = await fetch(`${channelUrl()}/messages`, {
        method: 'POST',
        headers: { ...auth(userToken), 'content-type': 'application/json' },
        body: JSON.stringify({ body: { content: `m${i}` } }),
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
  });

  it('pages messages with an absolute @odata.nextLink', async () => {
    for (let i = 0; i < 3; i += 1)
      teams.teams
        .get(teams.defaults.teamId)!
        .channels.get(teams.defaults.channelId)!
        .messages.push({
          id: String(i),
          etag: String(i),
          messageType: 'message',
          replyToId: null,
          createdDateTime: '',
          body: { contentType: 'text', content: `m${i}` },
          from: { user: { id: 'u', displayName: 'U', userIdentityType: 'aadUser' } },
          attachments: [],
          channelIdentity: { teamId: '', channelId: '' },
          webUrl: '',
        });
    const first = (await (
      await fetch(`${channelUrl()}/messages?$top=2`, { headers: auth(appToken) })
    ).json()) as { value: unknown[]; '@odata.nextLink'?: string };
    expect(first.value).toHaveLength(2);
    expect(first['@odata.nextLink']).toMatch(new RegExp(`^${teams.url}/v1\\.0/teams/.+\\$skiptoken=`));
    const second = (await (await fetch(first['@odata.nextLink']!, { headers: auth(appToken) })).json()) as {
      value: unknown[];
      '@odata.nextLink'?: string;
    };
    expect(second.value).toHaveLength(1);
    expect(second['@odata.nextLink']).toBeUndefined();
  });

  it('answers 401 InvalidAuthenticationToken after the tokens expire, and injected 429 with Retry-After', async () => {
    teams.service.tokens.expireAll();
    const expired = await fetch(`${channelUrl()}/filesFolder`, { headers: auth(appToken) });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    const fresh = teams.issueToken('app');
    teams.service.inject(teamsFaults.throttled(5));
    const throttled = await fetch(`${channelUrl()}/filesFolder`, { headers: auth(fresh) });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${channelUrl()}/filesFolder`, { headers: auth(fresh) })).status).toBe(200);
  });

  it('refuses a token issued for another resource', async () => {
    const other = teams.identity.issueToken({ kind: 'app', resource: 'https://contoso.crm.dynamics.com' });
    const res = await fetch(`${channelUrl()}/filesFolder`, { headers: auth(other) });
    expect(res.status).toBe(401);
  });
});
