/**
 * Microsoft Teams through Microsoft Graph v1.0 (specs/connectors.md §5): put a stored file in a
 * channel's files and post channel messages that reference it.
 *
 * How this works: tokens come from the Microsoft identity platform (`teams-auth.ts`): app-only
 * (client credentials) or, when the credentials carry a `refreshToken`, delegated. `uploadFile`
 * asks the channel for its SharePoint folder (`GET /teams/{team}/channels/{channel}/filesFolder`)
 * and puts the file there (`teams-upload.ts`: one PUT when small, a chunked upload session
 * otherwise). `postMessage` posts `POST /teams/{team}/channels/{channel}/messages` (or a reply),
 * optionally with a reference attachment to an uploaded driveItem: the attachment id is the GUID
 * of the item's `eTag`, `contentUrl` its `webUrl`, and the body carries the matching
 * `<attachment id="…"></attachment>` tag.
 *
 * App-only limit [doc]: Graph accepts channel messages from an application token only with
 * `Teamwork.Migrate.All`, for imports; anything else gets 401 `Unauthorized` "…allowed in
 * application-only context only for import purposes…". `postMessage` therefore needs delegated
 * credentials (a user's refresh token) and says so before calling Graph; a bot (Bot Framework)
 * is the other way, outside this connector (docs/integrations.md).
 *
 * Errors are `{ error: { code, message } }`; 429 and 503/504 carry `Retry-After` and are
 * retried after it; other statuses are `INTEGRATION_REJECTED` with Graph's code.
 *
 * @module
 */
import { z } from 'zod';
import { errorOf, jsonOf } from './body.js';
import { readResponse } from './client.js';
import { type ConnectorOptions, createConnector } from './connector.js';
import { defineAction, defineConnector, secret } from './define.js';
import { httpError, rejected } from './errors.js';
import type { PortResponse } from './http-port.js';
import {
  checkMicrosoftClient,
  MICROSOFT_AUTHORITY_URL,
  microsoftClientFields,
} from './microsoft-identity.js';
import { createGraphAuth } from './teams-auth.js';
import { driveItem, type TeamsUploadOptions, uploadLimitsOf } from './teams-upload.js';
import { uploadToFolder } from './teams-upload-session.js';
import type { Connector } from './types.js';

export type { TeamsUploadOptions } from './teams-upload.js';

/** Graph's default API base. */
export const GRAPH_API_URL = 'https://graph.microsoft.com/v1.0';

const INTEGRATION = 'teams';

const credentials = z
  .object({
    /** Directory (tenant) id or domain, in the token URL. */
    tenantId: z.string().min(1),
    /** Application (client) id of the app registration. */
    clientId: z.string().min(1),
    /** A client secret of the app registration, or a certificate (`certificatePrivateKey` + `certificateThumbprint`). */
    ...microsoftClientFields,
    /**
     * A user's refresh token (authorization-code sign-in with `offline_access`): makes every call
     * delegated, which `postMessage` requires. Omitted: app-only, uploads only.
     */
    refreshToken: secret(z.string().min(1)).optional(),
    /** The identity platform (national clouds differ). @default 'https://login.microsoftonline.com' */
    authorityUrl: z.url({ protocol: /^https?$/ }).default(MICROSOFT_AUTHORITY_URL),
    /** Graph's base URL. @default 'https://graph.microsoft.com/v1.0' */
    graphUrl: z.url({ protocol: /^https?$/ }).default(GRAPH_API_URL),
  })
  .superRefine(checkMicrosoftClient);

/** Credentials of the Teams connector. */
export type TeamsCredentials = z.output<typeof credentials>;

const APP_ONLY =
  'Graph accepts channel messages only with delegated auth (application permissions are for message ' +
  "import only): connect Teams with a user's refreshToken (ChannelMessage.Send), or post through a Teams bot";

/** Reads a Graph answer; the app-only refusal of a message is explained. */
function interpretGraph(response: PortResponse, integration: string): unknown {
  if (response.status >= 200 && response.status <= 299) return readResponse(response, integration);
  const vendor = errorOf(jsonOf(response));
  if (response.status === 401 && /application-only context/i.test(vendor.message ?? '')) {
    throw rejected(`${APP_ONLY}. Graph said: ${vendor.message}`, {
      integration,
      status: 401,
      vendorCode: vendor.code ?? 'Unauthorized',
    });
  }
  throw httpError(integration, response, vendor);
}

/** The GUID a reference attachment must carry: `"{GUID},N"` → `guid`. */
export function attachmentIdOf(eTag: string | undefined): string | undefined {
  return /\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?/
    .exec(eTag ?? '')?.[1]
    ?.toLowerCase();
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

const channel = {
  /** The team's id (its Microsoft 365 group id). */
  teamId: z.string().min(1),
  /** The channel's id (`19:…@thread.tacv2`). */
  channelId: z.string().min(1),
};

const uploadFileInput = z.object({
  ...channel,
  /** Name in the channel's files. @default the file's name */
  filename: z.string().min(1).max(400).optional(),
  /** On a name clash: keep both (`rename`), overwrite (`replace`) or fail. @default 'rename' */
  conflictBehavior: z.enum(['rename', 'replace', 'fail']).default('rename'),
});

const postMessageInput = z.object({
  ...channel,
  /** The message. */
  content: z.string().min(1),
  /** How `content` is read. @default 'html' */
  contentType: z.enum(['html', 'text']).default('html'),
  /** Post as a reply to this message. */
  replyToId: z.string().min(1).optional(),
  /** A file to attach by reference: an uploadFile result (or a driveItem's webUrl, name and eTag). */
  attachment: z
    .object({
      webUrl: z.url(),
      name: z.string().min(1),
      /** The reference id (uploadFile's `attachmentId`). */
      attachmentId: z.string().optional(),
      /** The driveItem's eTag, whose GUID is the reference id. */
      eTag: z.string().optional(),
    })
    .refine((a) => attachmentIdOf(a.attachmentId ?? a.eTag) !== undefined, {
      message: 'attachment needs attachmentId or eTag (a driveItem GUID)',
    })
    .optional(),
});

/**
 * Declares a Teams connector with its own upload limits (tests use small ones; deployments may
 * pass the result to the integrations service as a connector definition).
 */
export function defineTeamsConnector(upload: TeamsUploadOptions = {}) {
  const limits = uploadLimitsOf(upload);
  return defineConnector({
    slug: 'teams',
    name: 'Microsoft Teams',
    credentials,
    endpoints: (c) => c.graphUrl,
    auth: (c, context) => createGraphAuth(c, context),
    interpret: interpretGraph,
    async testConnection(client) {
      // The token request proves tenant, client id and secret (or refresh token). Reads need
      // permissions the app may lack, so only Graph's service root is asked, to see the token taken.
      const response = await client.request({ path: '', raw: true });
      if (response.status === 401) throw httpError(INTEGRATION, response, errorOf(jsonOf(response)));
      return {
        mode: client.credentials.refreshToken ? 'delegated' : 'app-only',
        graphStatus: response.status,
      };
    },
    actions: {
      uploadFile: defineAction<typeof uploadFileInput, TeamsCredentials>({
        description:
          "Puts the file in a channel's Files (its SharePoint folder): one PUT when small, a chunked upload session when large.",
        input: uploadFileInput,
        file: true,
        timeoutMs: 600_000,
        async run(client, input, { file }) {
          if (!file) throw rejected('uploadFile needs a file', { integration: INTEGRATION });
          const e = encodeURIComponent;
          const { data: folder } = await client.request({
            path: `teams/${e(input.teamId)}/channels/${e(input.channelId)}/filesFolder`,
            response: driveItem,
          });
          const driveId = folder.parentReference?.driveId;
          if (!driveId) {
            throw rejected("The channel's files folder has no drive yet; open the channel's Files tab once", {
              integration: INTEGRATION,
            });
          }
          const { item, method, chunks, resumed } = await uploadToFolder(
            client,
            {
              driveId,
              folderId: folder.id,
              name: input.filename ?? file.name,
              conflictBehavior: input.conflictBehavior,
            },
            file,
            limits,
          );
          return {
            itemId: item.id,
            driveId,
            name: item.name,
            size: item.size,
            webUrl: item.webUrl,
            eTag: item.eTag,
            attachmentId: attachmentIdOf(item.eTag),
            method,
            chunks,
            resumed,
          };
        },
      }),
      postMessage: defineAction<typeof postMessageInput, TeamsCredentials>({
        description:
          'Posts a channel message (or a reply), optionally referencing an uploaded file; needs delegated credentials.',
        input: postMessageInput,
        async run(client, input) {
          if (!client.credentials.refreshToken) {
            throw rejected(APP_ONLY, { integration: INTEGRATION, vendorCode: 'delegated_auth_required' });
          }
          const e = encodeURIComponent;
          const base = `teams/${e(input.teamId)}/channels/${e(input.channelId)}/messages`;
          const attachment = input.attachment;
          const id = attachment ? attachmentIdOf(attachment.attachmentId ?? attachment.eTag)! : undefined;
          const body =
            attachment && id
              ? {
                  contentType: 'html',
                  content: `${input.contentType === 'text' ? escapeHtml(input.content) : input.content} <attachment id="${id}"></attachment>`,
                }
              : { contentType: input.contentType, content: input.content };
          const { data } = await client.request({
            response: z.object({
              id: z.string(),
              webUrl: z.string().optional(),
              createdDateTime: z.string().optional(),
            }),
            path: input.replyToId ? `${base}/${e(input.replyToId)}/replies` : base,
            json: {
              body,
              ...(attachment && id
                ? {
                    attachments: [
                      { id, contentType: 'reference', contentUrl: attachment.webUrl, name: attachment.name },
                    ],
                  }
                : {}),
            },
          });
          return { messageId: data.id, webUrl: data.webUrl, createdDateTime: data.createdDateTime };
        },
      }),
    },
  });
}

/** The Teams connector, declared with the default upload limits (4 MiB single PUT, 5 MiB chunks, 3 resumes). */
export const teamsConnector = defineTeamsConnector();

/** Options of {@link createTeamsConnector}: the connector's, plus the upload limits. */
export type TeamsConnectorOptions = ConnectorOptions<typeof credentials> & TeamsUploadOptions;

/**
 * Creates a Teams connector.
 *
 * @example
 * ```ts
 * const teams = createTeamsConnector({
 *   credentials: { tenantId, clientId, clientSecret, refreshToken },
 * });
 * const up = await teams.action('uploadFile', { teamId, channelId }, { file });
 * await teams.action('postMessage', { teamId, channelId, content: 'invoice-42 processed', attachment: up.data });
 * ```
 */
export function createTeamsConnector(options: TeamsConnectorOptions): Connector {
  const { simpleUploadLimitBytes, chunkBytes, resumeAttempts, ...rest } = options;
  const upload = Object.fromEntries(
    Object.entries({ simpleUploadLimitBytes, chunkBytes, resumeAttempts }).filter(([, v]) => v !== undefined),
  ) as TeamsUploadOptions;
  const definition = Object.keys(upload).length > 0 ? defineTeamsConnector(upload) : teamsConnector;
  return createConnector(definition, rest);
}
