/**
 * A faithful local fake of the Slack Web API (spec §4), checked against the official
 * `@slack/web-api` client in `connectors-slack-sdk.test.ts`.
 *
 * How this works: every method is `POST /api/{method}` (GET accepted for reads) with the
 * arguments form-encoded (non-scalars as JSON strings inside the form, as the SDK sends them)
 * or as JSON (`application/json; charset=utf-8`; without the charset Slack adds a
 * `missing_charset` warning). The bot token comes from `Authorization: Bearer xoxb-…` or a
 * `token` argument: none → `not_authed`, unknown → `invalid_auth`, revoked → `token_revoked`.
 * Logical errors are HTTP 200 `{"ok":false,"error":"…"}` with `x-slack-failure`; rate limits
 * are HTTP 429 + `Retry-After` + `{"ok":false,"error":"ratelimited"}` (see {@link slackFaults}).
 * Uploads follow the external flow: `files.getUploadURLExternal` hands out an absolute
 * `upload_url` served by this fake (raw body or multipart, HTTP 200 plain text), and
 * `files.completeUploadExternal` must reference an uploaded `file_id` exactly once, with the
 * byte count announced in `length`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { FakeService, type Fault, type RecordedRequest } from './fake-service.js';

/** A channel the fake knows. */
export interface SlackChannel {
  id: string;
  name: string;
  /** Whether the bot is in it (else posting answers `not_in_channel`). @default true */
  isMember: boolean;
  isArchived: boolean;
}

/** A message the fake stored. */
export interface SlackMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown;
  threadTs: string | undefined;
  /** File ids shared with the message (uploads). */
  files: string[];
}

/** An upload started by `files.getUploadURLExternal`. */
export interface SlackUpload {
  fileId: string;
  filename: string;
  length: number;
  altText: string | undefined;
  uploadUrl: string;
  /** The bytes POSTed to the upload URL (`null` until then). */
  bytes: Buffer | null;
  /** How the bytes came: `raw` body or `multipart`. */
  encoding: 'raw' | 'multipart' | null;
  completed: boolean;
  title: string | undefined;
}

/** Options of {@link createSlackFake}. */
export interface SlackFakeOptions {
  /** Bot tokens the fake accepts. @default ['xoxb-fileforge-test'] */
  tokens?: string[];
  /** @default 'T0FILEFORGE' */
  teamId?: string;
}

/** The fake and its stores. */
export interface SlackFake {
  service: FakeService;
  /** Live bot tokens (add or delete to taste). */
  tokens: Set<string>;
  /** Revoked tokens (answer `token_revoked`). */
  revoked: Set<string>;
  channels: Map<string, SlackChannel>;
  messages: SlackMessage[];
  uploads: Map<string, SlackUpload>;
  /** Adds a channel; returns it. */
  addChannel(channel: Partial<SlackChannel> & { name: string }): SlackChannel;
  /** Arguments of every call of `method`, parsed (form or JSON), in order. */
  calls(method: string): Array<{ args: Record<string, unknown>; request: RecordedRequest }>;
  start(): Promise<string>;
  close(): Promise<void>;
  readonly url: string;
  /** `${url}/api/` — the SDK's `slackApiUrl` and the connector's endpoint. */
  readonly apiUrl: string;
}

/** Ready-made injected answers for `fake.service.inject(...)`. */
export const slackFaults = {
  /** HTTP 429 + Retry-After + `{ok:false,error:'ratelimited'}` for `method`. */
  rateLimited: (method: string, retryAfterSec = 1, times = 1): Fault => ({
    status: 429,
    times,
    headers: { 'retry-after': String(retryAfterSec) },
    body: { ok: false, error: 'ratelimited' },
    match: (r) => r.path === `/api/${method}`,
  }),
  /** HTTP 200 `{ok:false,error}` for `method` (a business error). */
  error: (method: string, error: string, times = 1): Fault => ({
    status: 200,
    times,
    headers: { 'x-slack-failure': error },
    body: { ok: false, error },
    match: (r) => r.path === `/api/${method}`,
  }),
  /** A 5xx for `method`. */
  unavailable: (method: string, status = 503, times = 1): Fault => ({
    status,
    times,
    body: 'upstream connect error',
    match: (r) => r.path === `/api/${method}`,
  }),
};

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex').toUpperCase().slice(0, 10)}`;

/** The arguments of a Web API call, from a form or JSON body and the query. */
function argsOf(contentType: string, body: string, query: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = Object.fromEntries(query);
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body)) args[key] = value;
  } else if (contentType.startsWith('application/json')) {
    try {
      const json: unknown = JSON.parse(body);
      if (json && typeof json === 'object') Object.assign(args, json);
    } catch {
      // Slack answers invalid JSON with invalid_json; the handler sees no arguments
    }
  }
  return args;
}

/** A form value that may be a JSON string (Slack's forms carry arrays that way). */
function jsonArg(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Creates a Slack fake with one channel, `#general` (`C0GENERAL01`).
 *
 * @example
 * ```ts
 * const slack = createSlackFake();
 * await slack.start();
 * const connector = createSlackConnector({ credentials: { botToken: 'xoxb-fileforge-test' }, endpoints: slack.apiUrl, http });
 * ```
 */
export function createSlackFake(options: SlackFakeOptions = {}): SlackFake {
  const service = new FakeService();
  const teamId = options.teamId ?? 'T0FILEFORGE';
  const tokens = new Set(options.tokens ?? ['xoxb-fileforge-test']);
  const revoked = new Set<string>();
  const channels = new Map<string, SlackChannel>();
  const messages: SlackMessage[] = [];
  const uploads = new Map<string, SlackUpload>();
  const uploadsByKey = new Map<string, SlackUpload>();
  let sequence = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, '0')}`;

  const addChannel = (channel: Partial<SlackChannel> & { name: string }): SlackChannel => {
    const full: SlackChannel = { id: id('C'), isMember: true, isArchived: false, ...channel };
    channels.set(full.id, full);
    return full;
  };
  addChannel({ id: 'C0GENERAL01', name: 'general' });

  const fail = (c: Context, error: string, extra: Record<string, unknown> = {}) => {
    c.header('x-slack-failure', error);
    return c.json({ ok: false, error, ...extra }, 200);
  };
  const findChannel = (value: unknown) => {
    const wanted = str(value)?.replace(/^#/, '');
    if (!wanted) return undefined;
    return channels.get(wanted) ?? [...channels.values()].find((ch) => ch.name === wanted);
  };

  type Handler = (
    c: Context,
    args: Record<string, unknown>,
    warnings: string[],
  ) => Response | Promise<Response>;
  const methods: Record<string, Handler> = {
    'auth.test': (c) =>
      c.json({
        ok: true,
        url: 'https://fileforge-test.slack.com/',
        team: 'FileForge Test',
        user: 'fileforge',
        team_id: teamId,
        user_id: 'U0FILEFORGE',
        bot_id: 'B0FILEFORGE',
        is_enterprise_install: false,
      }),

    'chat.postMessage': (c, args, warnings) => {
      const channel = findChannel(args.channel);
      if (!str(args.channel)) return fail(c, 'channel_not_found');
      if (!channel) return fail(c, 'channel_not_found');
      if (channel.isArchived) return fail(c, 'is_archived');
      if (!channel.isMember) return fail(c, 'not_in_channel');
      const text = str(args.text);
      const blocks = jsonArg(args.blocks);
      if (text === undefined && !Array.isArray(blocks) && str(args.attachments) === undefined) {
        return fail(c, 'no_text');
      }
      if (text && text.length > 40_000) return fail(c, 'msg_too_long');
      const message: SlackMessage = {
        channel: channel.id,
        ts: nextTs(),
        text,
        blocks,
        threadTs: str(args.thread_ts),
        files: [],
      };
      messages.push(message);
      return c.json({
        ok: true,
        channel: channel.id,
        ts: message.ts,
        message: { type: 'message', text: text ?? '', bot_id: 'B0FILEFORGE', ts: message.ts },
        ...(warnings.length ? { response_metadata: { warnings } } : {}),
      });
    },

    'files.getUploadURLExternal': (c, args) => {
      const filename = str(args.filename);
      const length = Number(args.length);
      if (!filename || args.length === undefined || length === 0) return fail(c, 'missing_argument');
      if (!Number.isInteger(length) || length < 0) return fail(c, 'invalid_arguments');
      const altText = str(args.alt_txt) ?? str(args.alt_text);
      if (altText && altText.length > 1000) return fail(c, 'alt_txt_too_large');
      const key = randomBytes(12).toString('hex');
      const upload: SlackUpload = {
        fileId: id('F'),
        filename,
        length,
        altText,
        uploadUrl: `${service.url}/upload/v1/${key}`,
        bytes: null,
        encoding: null,
        completed: false,
        title: undefined,
      };
      uploads.set(upload.fileId, upload);
      uploadsByKey.set(key, upload);
      return c.json({ ok: true, upload_url: upload.uploadUrl, file_id: upload.fileId });
    },

    'files.completeUploadExternal': (c, args) => {
      const files = jsonArg(args.files);
      if (!Array.isArray(files) || files.length === 0) return fail(c, 'invalid_arguments');
      const entries = files as Array<{ id?: unknown; title?: unknown }>;
      const found: SlackUpload[] = [];
      for (const entry of entries) {
        const upload = typeof entry.id === 'string' ? uploads.get(entry.id) : undefined;
        // an upload completes once; one whose bytes never came (or not all of them) is unknown
        if (!upload || upload.completed || !upload.bytes || upload.bytes.length !== upload.length) {
          return fail(c, 'file_not_found');
        }
        found.push(upload);
      }
      const channelId = str(args.channel_id);
      const channel = channelId ? channels.get(channelId) : undefined;
      if (channelId && !channel) return fail(c, 'channel_not_found');
      if (channel?.isArchived) return fail(c, 'is_archived');
      if (channel && !channel.isMember) return fail(c, 'not_in_channel');
      entries.forEach((entry, i) => {
        const upload = found[i]!;
        upload.completed = true;
        upload.title = str(entry.title) ?? upload.filename;
      });
      if (channel) {
        messages.push({
          channel: channel.id,
          ts: nextTs(),
          text: str(args.initial_comment),
          blocks: jsonArg(args.blocks),
          threadTs: str(args.thread_ts),
          files: found.map((u) => u.fileId),
        });
      }
      return c.json({
        ok: true,
        files: found.map((u) => ({
          id: u.fileId,
          title: u.title,
          name: u.filename,
          size: u.length,
          ...(channel ? { channels: [channel.id] } : {}),
        })),
      });
    },
  };

  service.app.post('/upload/v1/:key', async (c) => {
    const upload = uploadsByKey.get(c.req.param('key'));
    if (!upload) return c.text('Not Found', 404);
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await c.req.formData();
      const part = [...form.values()].find((v): v is File => typeof v !== 'string');
      if (!part) return c.text('no file part', 400);
      upload.bytes = Buffer.from(await part.arrayBuffer());
      upload.encoding = 'multipart';
    } else {
      upload.bytes = Buffer.from(await c.req.arrayBuffer());
      upload.encoding = 'raw';
    }
    return c.text(`OK - ${upload.bytes.length}`, 200);
  });

  service.app.on(['GET', 'POST'], '/api/:method', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const args = argsOf(type, await c.req.text(), new URL(c.req.url).searchParams);
    const warnings: string[] = [];
    if (type.startsWith('application/json') && !/charset/i.test(type)) warnings.push('missing_charset');
    const token = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? str(args.token);
    if (!token) return fail(c, 'not_authed');
    if (revoked.has(token)) return fail(c, 'token_revoked');
    if (!tokens.has(token)) return fail(c, 'invalid_auth');
    const handler = methods[c.req.param('method')];
    if (!handler) return fail(c, 'unknown_method');
    return handler(c, args, warnings);
  });

  return {
    service,
    tokens,
    revoked,
    channels,
    messages,
    uploads,
    addChannel,
    calls: (method) =>
      service.requestsTo('POST', `/api/${method}`).map((request) => ({
        args: argsOf(request.headers['content-type'] ?? '', request.body.toString('utf8'), request.query),
        request,
      })),
    start: () => service.start(),
    close: () => service.close(),
    get url() {
      return service.url;
    },
    get apiUrl() {
      return `${service.url}/api/`;
    },
  };
}
