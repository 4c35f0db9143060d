/**
 * A faithful local fake of Microsoft Graph v1.0 for Teams (spec §5).
 *
 * How this works: one {@link FakeService} serves three hosts' worth of routes — the Microsoft identity
 * platform token endpoint `POST /{tenant}/oauth2/v2.0/token` (the shared `microsoft-identity.ts` fake,
 * with `https://graph.microsoft.com` as the only resource), the Graph API under `/v1.0`, and SharePoint-style upload URLs
 * under `/_api/v2.0/uploadSession/{id}` (pre-authenticated by a `tempauth` query, so an Authorization
 * header there is refused with 401). Tokens are app-only (`client_credentials`, scope
 * `https://graph.microsoft.com/.default`) or delegated (`refresh_token` with Graph scopes); channel message POSTs need a delegated token —
 * an app-only token gets Graph's 401 `Unauthorized` "…allowed in application-only context only for
 * import purposes…", which a connector must tell apart from `InvalidAuthenticationToken` (expired).
 *
 * Checks: the token request (see `microsoft-identity.ts`); a Bearer token for Graph on every Graph call
 * (401 `InvalidAuthenticationToken` when missing, for another audience, or after `service.tokens.expireAll()`); files folder → driveItem with
 * `parentReference.driveId`; small upload ≤ `smallUploadLimitBytes` (413 above), conflict behaviour
 * (201 new, 200 replaced, 409 `nameAlreadyExists`); upload-session chunks (Content-Range, sequential
 * — 416 otherwise, multiples of 320 KiB except the last, < 60 MiB, 202 + nextExpectedRanges, then
 * 201/200 driveItem); message body/attachments agreement (`<attachment id>` tags ↔ attachments,
 * reference `contentUrl` = a stored driveItem's webUrl, id = the GUID of its eTag); ~10 channel messages
 * per 10 s (429 `TooManyRequests` + Retry-After); `@odata.nextLink` paging of channels, messages, children.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { bearerOf, FakeService, type FakeServiceStartOptions } from './fake-service.js';
import { createMicrosoftIdentityFake, type MicrosoftIdentityFake } from './microsoft-identity.js';
import { mountDriveRoutes, newItemId, type UploadSession } from './teams-drive.js';
import { type ChatMessage, validateMessage } from './teams-messages.js';
import { type DriveItem, graphError, graphPage, type StoredDriveItem } from './teams-wire.js';

export { mimeTypeOf, UPLOAD_FRAGMENT_UNIT, UPLOAD_MAX_CHUNK, type UploadSession } from './teams-drive.js';
export { teamsFaults } from './teams-faults.js';
export type { ChatMessage } from './teams-messages.js';
export type { DriveItem, StoredDriveItem } from './teams-wire.js';

/** The scope an app-only Graph token must ask for. */
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** Options of {@link createTeamsFake}. */
export interface TeamsFakeOptions {
  /** Tenant id in the token URL. @default the identity fake's fixed GUID */
  tenant?: string;
  /** Application (client) id. @default the identity fake's fixed GUID */
  clientId?: string;
  /** @default 'fake~client~secret' */
  clientSecret?: string;
  /** The user delegated tokens act for. @default { id: random GUID, displayName: 'Ada Lovelace', upn: 'ada@contoso.example' } */
  user?: { id: string; displayName: string; upn: string };
  /** Access-token lifetime (`expires_in`). @default 3599 */
  tokenTtlSec?: number;
  /** Simple-upload ceiling; 413 above it. Lower it in tests instead of sending 250 MB. @default 250 MiB */
  smallUploadLimitBytes?: number;
  /** Channel message POSTs allowed per window before 429. @default { count: 10, windowMs: 10_000 } */
  messageRateLimit?: { count: number; windowMs: number };
  /** Default page size of collections (`$top` overrides). @default 20 */
  pageSize?: number;
  /**
   * Host name for upload URLs instead of 127.0.0.1 (e.g. `'localhost'`), so a client that attaches
   * tokens only to the Graph host (the Graph SDK with `customHosts`) leaves them off uploads, as with
   * real SharePoint upload URLs. @default same host as the Graph API
   */
  uploadHost?: string;
  /** Refuse an Authorization header on upload URLs with 401. @default true */
  rejectAuthorizationOnUpload?: boolean;
  /** Serve HTTPS (the Graph SDK sends tokens only to https hosts). @default plain HTTP */
  tls?: FakeServiceStartOptions['tls'];
  /** Clock for timestamps, session expiry and throttling. @default Date.now */
  now?: () => number;
}

/** A team with its channels. */
export interface FakeTeam {
  id: string;
  displayName: string;
  channels: Map<string, FakeChannel>;
}

/** A channel and the id of its SharePoint files folder. */
export interface FakeChannel {
  id: string;
  displayName: string;
  membershipType: 'standard' | 'private' | 'shared';
  /** The channel's files folder (a driveItem in `items`). */
  folderId: string;
  messages: ChatMessage[];
}

/** A fake Graph tenant (start it before use). */
export interface TeamsFake {
  service: FakeService;
  /** The mounted Microsoft identity platform endpoint (grants, certificate keys, more tokens). */
  identity: MicrosoftIdentityFake;
  /** Teams by id; `seedChannel()` adds to it. */
  teams: Map<string, FakeTeam>;
  /** Every driveItem (folders and files, with bytes) by item id. */
  items: Map<string, StoredDriveItem>;
  /** Open upload sessions by id. */
  sessions: Map<string, UploadSession>;
  /** What the token endpoint accepts. */
  credentials: {
    tenant: string;
    clientId: string;
    clientSecret: string;
    /** Client-credentials scope: `https://graph.microsoft.com/.default`. */
    scope: string;
    /** A refresh token for `user` (delegated flow; send it with client_id and client_secret). */
    refreshToken: string;
    user: { id: string; displayName: string; upn: string };
  };
  /** The seeded team/channel/drive/folder a test can use directly. */
  defaults: { teamId: string; channelId: string; driveId: string; folderId: string };
  /** Adds a channel (and its team and files folder when new). */
  seedChannel(input: { teamId: string; channelId: string; displayName?: string }): FakeChannel;
  /**
   * The next `times` upload-session fragments (not the last) are stored, then their connection
   * is cut before the answer: the client sees a network error, and only the session's
   * `nextExpectedRanges` tells it the bytes arrived. With `final`, the answer to the last
   * fragment instead: the file is made and the session ended (as Graph does), then the
   * connection is cut.
   */
  loseUploadResponses(times?: number, options?: { final?: boolean }): void;
  /** Files stored under a channel's folder. */
  filesIn(teamId: string, channelId: string): StoredDriveItem[];
  /** A live token without the round trip: `'app'` (client credentials) or `'user'` (delegated). */
  issueToken(kind?: 'app' | 'user'): string;
  start(): Promise<string>;
  close(): Promise<void>;
  /** Base URL, e.g. `https://127.0.0.1:41234`. */
  readonly url: string;
  /** `${url}/v1.0` — the Graph API root. */
  readonly graphUrl: string;
  /** `${url}/{tenant}/oauth2/v2.0/token`. */
  readonly tokenUrl: string;
}

const APP_ONLY_MESSAGE =
  'Message POST is allowed in application-only context only for import purposes. Refer to ' +
  'https://docs.microsoft.com/microsoftteams/platform/graph-api/import-messages/import-external-messages-to-teams for more details.';

/**
 * Creates a fake Microsoft Graph (Teams + channel files) with one seeded team and channel.
 *
 * @example
 * const teams = createTeamsFake();
 * await teams.start();
 * const { access_token } = await (await fetch(teams.tokenUrl, { method: 'POST', body: new URLSearchParams({
 *   grant_type: 'client_credentials', client_id: teams.credentials.clientId,
 *   client_secret: teams.credentials.clientSecret, scope: teams.credentials.scope }) })).json();
 * const { defaults: d } = teams;
 * await fetch(`${teams.graphUrl}/teams/${d.teamId}/channels/${encodeURIComponent(d.channelId)}/filesFolder`,
 *   { headers: { authorization: `Bearer ${access_token}` } });
 */
export function createTeamsFake(options: TeamsFakeOptions = {}): TeamsFake {
  const service = new FakeService();
  const now = options.now ?? Date.now;
  const identity = createMicrosoftIdentityFake(service, {
    tenantId: options.tenant,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    resources: () => [GRAPH_RESOURCE],
    tokenTtlSec: options.tokenTtlSec,
    clock: options.now,
  });
  const user = options.user ?? { id: randomUUID(), displayName: 'Ada Lovelace', upn: 'ada@contoso.example' };
  const credentials = {
    tenant: identity.tenantId,
    clientId: identity.clientId,
    clientSecret: identity.clientSecret,
    scope: GRAPH_DEFAULT_SCOPE,
    refreshToken: identity.issueRefreshToken(user.upn),
    user,
  };
  const pageSize = options.pageSize ?? 20;
  const rate = options.messageRateLimit ?? { count: 10, windowMs: 10_000 };
  const teams = new Map<string, FakeTeam>();
  const items = new Map<string, StoredDriveItem>();
  const sessions = new Map<string, UploadSession>();
  const postedAt: number[] = [];
  const driveByTeam = new Map<string, string>();

  const issueToken = (kind: 'app' | 'user' = 'app') =>
    kind === 'app'
      ? identity.issueToken({ kind: 'app', resource: GRAPH_RESOURCE })
      : identity.issueToken({
          kind: 'delegated',
          resource: GRAPH_RESOURCE,
          scopes: ['https://graph.microsoft.com/ChannelMessage.Send'],
          user: user.upn,
        });

  const authorize = (c: Context): Response | null => {
    const token = bearerOf(c);
    if (!token) return graphError(c, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const grant = identity.grantOf(token);
    if (grant && grant.resource !== GRAPH_RESOURCE)
      return graphError(c, 401, 'InvalidAuthenticationToken', 'Invalid audience.');
    if (!grant)
      return graphError(
        c,
        401,
        'InvalidAuthenticationToken',
        'Access token has expired or is not yet valid.',
      );
    return null;
  };

  function folderItem(driveId: string, name: string, parentId?: string): DriveItem {
    const stamp = new Date(now()).toISOString();
    const guid = randomUUID().toUpperCase();
    const path = parentId ? `/${encodeURIComponent(name)}` : '';
    return {
      id: newItemId(),
      name,
      webUrl: `https://contoso.sharepoint.com/sites/FileForge/Shared%20Documents${path}`,
      eTag: `"{${guid}},1"`,
      cTag: `"c:{${guid}},0"`,
      size: 0,
      createdDateTime: stamp,
      lastModifiedDateTime: stamp,
      parentReference: { driveId, driveType: 'documentLibrary', ...(parentId ? { id: parentId } : {}) },
      folder: { childCount: 0 },
    };
  }

  function seedChannel(input: { teamId: string; channelId: string; displayName?: string }): FakeChannel {
    let team = teams.get(input.teamId);
    if (!team) {
      team = { id: input.teamId, displayName: `Team ${input.teamId.slice(0, 8)}`, channels: new Map() };
      teams.set(team.id, team);
      const driveId = `b!${Buffer.from(randomUUID()).toString('base64url').slice(0, 40)}`;
      const root = folderItem(driveId, 'root');
      items.set(root.id, { item: root });
      driveByTeam.set(team.id, driveId);
    }
    const driveId = driveByTeam.get(team.id)!;
    const root = [...items.values()].find(
      (s) => s.item.parentReference.driveId === driveId && !s.item.parentReference.id,
    )!;
    const displayName = input.displayName ?? 'General';
    const folder = folderItem(driveId, displayName, root.item.id);
    items.set(folder.id, { item: folder });
    root.item.folder!.childCount += 1;
    const channel: FakeChannel = {
      id: input.channelId,
      displayName,
      membershipType: 'standard',
      folderId: folder.id,
      messages: [],
    };
    team.channels.set(channel.id, channel);
    return channel;
  }

  const seeded = seedChannel({
    teamId: '02bd9fd6-8f93-4758-87c3-1fb73740a315',
    channelId: '19:09fc54a3141a45d0bc769cf506d2e079@thread.tacv2',
    displayName: 'General',
  });
  const defaults = {
    teamId: '02bd9fd6-8f93-4758-87c3-1fb73740a315',
    channelId: seeded.id,
    driveId: items.get(seeded.folderId)!.item.parentReference.driveId,
    folderId: seeded.folderId,
  };

  const findChannel = (c: Context): { team: FakeTeam; channel: FakeChannel } | Response => {
    const team = teams.get(c.req.param('teamId') ?? '');
    if (!team) return graphError(c, 404, 'NotFound', `No team found with Group Id ${c.req.param('teamId')}`);
    const channel = team.channels.get(c.req.param('channelId') ?? '');
    if (!channel) return graphError(c, 404, 'NotFound', 'Channel not found.');
    return { team, channel };
  };

  service.app.get('/v1.0/teams/:teamId/channels', (c) => {
    const denied = authorize(c);
    if (denied) return denied;
    const team = teams.get(c.req.param('teamId'));
    if (!team) return graphError(c, 404, 'NotFound', `No team found with Group Id ${c.req.param('teamId')}`);
    const value = [...team.channels.values()].map(({ id, displayName, membershipType }) => ({
      id,
      displayName,
      membershipType,
    }));
    return graphPage(c, value, pageSize);
  });

  service.app.get('/v1.0/teams/:teamId/channels/:channelId/filesFolder', (c) => {
    const denied = authorize(c);
    if (denied) return denied;
    const found = findChannel(c);
    if (found instanceof Response) return found;
    return c.json(items.get(found.channel.folderId)!.item);
  });

  service.app.get('/v1.0/teams/:teamId/channels/:channelId/messages', (c) => {
    const denied = authorize(c);
    if (denied) return denied;
    const found = findChannel(c);
    if (found instanceof Response) return found;
    return graphPage(
      c,
      found.channel.messages.filter((m) => !m.replyToId),
      pageSize,
      50,
    );
  });

  const postMessage = async (c: Context): Promise<Response> => {
    const denied = authorize(c);
    if (denied) return denied;
    const grant = identity.grantOf(bearerOf(c));
    if (grant?.kind === 'app') return graphError(c, 401, 'Unauthorized', APP_ONLY_MESSAGE);
    // A delegated token sends channel messages only with that permission consented and asked for.
    if (!grant?.scopes.includes(`${GRAPH_RESOURCE}/ChannelMessage.Send`))
      return graphError(
        c,
        403,
        'Forbidden',
        "Missing scope permissions on the request. API requires one of 'ChannelMessage.Send, Group.ReadWrite.All'.",
      );
    if (!c.req.header('content-type')?.toLowerCase().startsWith('application/json'))
      return graphError(c, 415, 'UnsupportedMediaType', 'Content-Type must be application/json.');
    const found = findChannel(c);
    if (found instanceof Response) return found;
    const replyToId = c.req.param('messageId') ?? null;
    if (replyToId && !found.channel.messages.some((m) => m.id === replyToId))
      return graphError(c, 404, 'NotFound', `Message ${replyToId} not found.`);
    const windowStart = now() - rate.windowMs;
    while (postedAt.length > 0 && postedAt[0]! <= windowStart) postedAt.shift();
    if (postedAt.length >= rate.count) {
      const retryAfter = Math.max(1, Math.ceil((postedAt[0]! + rate.windowMs - now()) / 1000));
      return graphError(c, 429, 'TooManyRequests', 'Too many requests.', {
        'retry-after': String(retryAfter),
      });
    }
    const input = (await c.req.json().catch(() => undefined)) as Partial<ChatMessage> | undefined;
    const problem = validateMessage(input, items);
    if (problem) return graphError(c, 400, 'BadRequest', problem);
    postedAt.push(now());
    const id = String(now() + found.channel.messages.length);
    const message: ChatMessage = {
      id,
      etag: id,
      messageType: 'message',
      replyToId,
      createdDateTime: new Date(now()).toISOString(),
      body: { contentType: input!.body!.contentType ?? 'text', content: input!.body!.content },
      from: {
        user: {
          id: credentials.user.id,
          displayName: credentials.user.displayName,
          userIdentityType: 'aadUser',
        },
      },
      attachments: input!.attachments ?? [],
      channelIdentity: { teamId: found.team.id, channelId: found.channel.id },
      webUrl: `https://teams.microsoft.com/l/message/${encodeURIComponent(found.channel.id)}/${id}?groupId=${found.team.id}`,
    };
    found.channel.messages.push(message);
    return c.json(
      { '@odata.context': `${new URL(c.req.url).origin}/v1.0/$metadata#chatMessage`, ...message },
      201,
    );
  };
  service.app.post('/v1.0/teams/:teamId/channels/:channelId/messages', postMessage);
  service.app.post('/v1.0/teams/:teamId/channels/:channelId/messages/:messageId/replies', postMessage);

  const lostResponses: { remaining: number; final?: boolean } = { remaining: 0 };
  mountDriveRoutes(service.app, {
    service,
    items,
    sessions,
    now,
    smallUploadLimitBytes: options.smallUploadLimitBytes ?? 250 * 1024 * 1024,
    rejectAuthorizationOnUpload: options.rejectAuthorizationOnUpload ?? true,
    uploadOrigin: () => {
      const url = new URL(service.url);
      if (options.uploadHost) url.hostname = options.uploadHost;
      return url.origin;
    },
    authorize,
    lostResponses,
  });

  return {
    service,
    identity,
    teams,
    items,
    sessions,
    credentials,
    defaults,
    seedChannel,
    loseUploadResponses: (times = 1, options: { final?: boolean } = {}) => {
      lostResponses.remaining = times;
      lostResponses.final = options.final ?? false;
    },
    filesIn: (teamId, channelId) => {
      const folderId = teams.get(teamId)?.channels.get(channelId)?.folderId;
      return [...items.values()].filter((s) => folderId && s.item.parentReference.id === folderId);
    },
    issueToken,
    start: () => service.start({ tls: options.tls }),
    close: () => service.close(),
    get url() {
      return service.url;
    },
    get graphUrl() {
      return `${service.url}/v1.0`;
    },
    get tokenUrl() {
      return identity.tokenUrl;
    },
  };
}
