/**
 * Cross-check of the Teams fake with Microsoft's own client, `@microsoft/microsoft-graph-client`:
 * if the vendor's SDK can drive the fake through the whole channel-file flow, the fake speaks Graph.
 *
 * Why HTTPS: the SDK only treats `https://` URLs as Graph hosts — it attaches the token only to
 * `https://graph.microsoft.com` or `customHosts`, and strips an Authorization header otherwise
 * (AuthenticationHandler + isValidEndpoint), and it only recognises absolute `https://` request URLs
 * (GraphRequest.parsePath), which the upload task needs for uploadUrl. So the fake serves TLS with a
 * throwaway certificate made by `openssl`, and the upload URLs use the host name `localhost` — like real
 * SharePoint upload URLs they are not a Graph host, so the SDK leaves the token off them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client,
  FileUpload,
  type LargeFileUploadSession,
  LargeFileUploadTask,
} from '@microsoft/microsoft-graph-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTeamsFake, type DriveItem, type TeamsFake, UPLOAD_FRAGMENT_UNIT } from './fakes/teams.js';

function makeCertificate(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'ff-teams-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = makeCertificate();
if (!tls) {
  const why = 'the openssl CLI is needed to make a test certificate (apt-get install openssl)';
  // Under CI a missing tool fails the run instead of skipping the vendor-SDK check silently.
  if (process.env.CI === 'true') throw new Error(`[fakes-teams-sdk] ${why}`);
  console.warn(`[fakes-teams-sdk] skipped: ${why}`);
}

describe.skipIf(!tls)('Teams fake driven by @microsoft/microsoft-graph-client', () => {
  let fake: TeamsFake;
  let dispatcher: Agent;
  let client: Client;

  beforeAll(async () => {
    fake = createTeamsFake({ tls: tls!, uploadHost: 'localhost' });
    await fake.start();
    dispatcher = new Agent({ connect: { ca: tls!.cert } });
    // The SDK calls the global fetch; route it through undici with the test CA. (Node 20's bundled fetch
    // cannot take undici 7's Agent: the SDK's explicit Content-Length then reaches undici twice.)
    vi.stubGlobal('fetch', (input: string, init?: Parameters<typeof undiciFetch>[1]) =>
      undiciFetch(input, { ...init, dispatcher }),
    );
    const tokenResponse = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: fake.credentials.clientId,
        client_secret: fake.credentials.clientSecret,
        refresh_token: fake.credentials.refreshToken,
        scope: 'https://graph.microsoft.com/ChannelMessage.Send Files.ReadWrite.All offline_access',
      }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    client = Client.init({
      authProvider: (done) => done(null, token),
      baseUrl: fake.url,
      defaultVersion: 'v1.0',
      customHosts: new Set(['127.0.0.1']),
    });
  });

  afterAll(async () => {
    vi.unstubAllGlobals();
    await fake?.close();
    await dispatcher?.close();
  });

  const channelPath = () => `/teams/${fake.defaults.teamId}/channels/${fake.defaults.channelId}`;

  it('gets the channel files folder, a driveItem with parentReference.driveId', async () => {
    const folder = (await client.api(`${channelPath()}/filesFolder`).get()) as DriveItem;
    expect(folder.id).toBe(fake.defaults.folderId);
    expect(folder.parentReference.driveId).toBe(fake.defaults.driveId);
    expect(folder.folder).toBeDefined();
    expect(fake.service.requests.at(-1)?.headers.authorization).toMatch(/^Bearer /);
  });

  it('PUTs a small file into the folder and gets 201 with the driveItem', async () => {
    const { driveId, folderId } = fake.defaults;
    const bytes = Buffer.from('%PDF-1.7 small invoice');
    const item = (await client
      .api(`/drives/${driveId}/items/${folderId}:/${encodeURIComponent('invoice 41.pdf')}:/content`)
      .header('Content-Type', 'application/octet-stream')
      .put(bytes)) as DriveItem;
    expect(item).toMatchObject({
      name: 'invoice 41.pdf',
      size: bytes.length,
      file: { mimeType: 'application/pdf' },
    });
    expect(fake.items.get(item.id)?.content?.equals(bytes)).toBe(true);
  });

  it('uploads a large file through an upload session in several chunks with LargeFileUploadTask', async () => {
    const { driveId, folderId } = fake.defaults;
    const size = UPLOAD_FRAGMENT_UNIT * 3 + 1234;
    const bytes = Buffer.alloc(size, 7);
    bytes.write('%PDF-1.7 large');
    const session: LargeFileUploadSession = await LargeFileUploadTask.createUploadSession(
      client,
      `/drives/${driveId}/items/${folderId}:/invoice-42.pdf:/createUploadSession`,
      { item: { '@microsoft.graph.conflictBehavior': 'rename', name: 'invoice-42.pdf' } },
    );
    expect(session.url).toMatch(/^https:\/\/localhost:\d+\/_api\/v2\.0\/uploadSession\//);
    const progress: number[] = [];
    const task = new LargeFileUploadTask(client, new FileUpload(bytes, 'invoice-42.pdf', size), session, {
      rangeSize: UPLOAD_FRAGMENT_UNIT,
      uploadEventHandlers: { progress: (range) => progress.push(range?.maxValue ?? -1) },
    });
    const result = await task.upload();
    const item = result.responseBody as DriveItem;
    expect(item.name).toBe('invoice-42.pdf');
    expect(item.size).toBe(size);
    expect(fake.items.get(item.id)?.content?.equals(bytes)).toBe(true);
    expect(progress).toHaveLength(4);
    const chunkPuts = fake.service.requestsTo('PUT', /\/_api\/v2\.0\/uploadSession\//);
    expect(chunkPuts).toHaveLength(4);
    expect(chunkPuts.map((r) => r.headers['content-range'])).toEqual([
      `bytes 0-327679/${size}`,
      `bytes 327680-655359/${size}`,
      `bytes 655360-983039/${size}`,
      `bytes 983040-${size - 1}/${size}`,
    ]);
    expect(chunkPuts.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('posts a channel message with a reference attachment to the uploaded file', async () => {
    const file = fake
      .filesIn(fake.defaults.teamId, fake.defaults.channelId)
      .find((s) => s.item.name === 'invoice-42.pdf')!;
    const guid = /\{(.+)\}/.exec(file.item.eTag)![1]!;
    const message = await client.api(`${channelPath()}/messages`).post({
      body: { contentType: 'html', content: `invoice-42 processed <attachment id="${guid}"></attachment>` },
      attachments: [
        { id: guid, contentType: 'reference', contentUrl: file.item.webUrl, name: file.item.name },
      ],
    });
    expect(message).toMatchObject({
      messageType: 'message',
      attachments: [{ id: guid, contentType: 'reference', contentUrl: file.item.webUrl }],
      channelIdentity: { teamId: fake.defaults.teamId, channelId: fake.defaults.channelId },
    });
    expect(
      fake.teams.get(fake.defaults.teamId)?.channels.get(fake.defaults.channelId)?.messages,
    ).toHaveLength(1);
  });

  it('surfaces the Graph error shape through the SDK as a GraphError', async () => {
    await expect(client.api('/teams/no-such-team/channels/x/filesFolder').get()).rejects.toMatchObject({
      statusCode: 404,
      code: 'NotFound',
    });
  });
});
