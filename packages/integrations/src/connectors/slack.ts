/**
 * Slack (Web API) — the reference connector; the other six follow its shape.
 *
 * How to add a connector (one file + one registry line):
 * 1. Write `connectors/<slug>.ts` with `defineConnector({ slug, name, credentials, endpoints,
 *    auth, interpret?, testConnection, actions })` exported as `<slug>Connector`, and a
 *    `create<Name>Connector(options)` factory that calls `createConnector(definition, options)`.
 *    - `credentials`: a zod object; wrap secret fields in `secret()` (stored encrypted, never echoed).
 *    - `endpoints(credentials)`: the vendor's base URL (deployments and tests override it).
 *    - `auth`: `createBearerAuth`, `createBasicAuth` or `createOAuth2Auth` (+ `createJwtAssertion`)
 *      from `../auth`; OAuth2 gives cached single-flight tokens and one re-auth per 401.
 *    - `interpret(response)`: return the data or throw `rejected()` (the caller must fix it:
 *      never retried, not counted by the circuit) / `upstream()` (429/5xx: retried, honouring
 *      `retryAfterSeconds`) from `./errors.ts`. The default, `readResponse`, already reads
 *      JSON and the common error shapes (`errorOf`).
 *    - `actions`: `defineAction({ description, input: zodSchema, file?, run(client, input, { file }) })`.
 *      `run` is one attempt: it may be called again, so re-open `file` and re-ask for
 *      anything single-use. Use `client.request({ path, json | form | body, query, headers })`.
 * 2. Add the definition to `builtInConnectors` in `connectors/registry.ts`. That is all: the
 *    service lists it, connects it, and every action becomes the workflow step kind
 *    `connector.<slug>.<action>`.
 * 3. Export both names from `connectors/index.ts`; test against the vendor's fake in
 *    `test/fakes/<slug>.ts`, asserting method, path, headers and body.
 *
 * Slack specifics (specs/connectors.md §4): `Authorization: Bearer xoxb-…`; every method is a
 * POST to `https://slack.com/api/<method>`; logical errors are HTTP 200
 * `{"ok":false,"error":"…"}` (→ `INTEGRATION_REJECTED` with Slack's error string); rate
 * limits are HTTP 429 + `Retry-After` with `{"ok":false,"error":"ratelimited"}` (→ retried
 * after the wait). Files go through the external upload flow (`files.upload` is retired):
 * `files.getUploadURLExternal` (form) → POST the bytes to `upload_url` →
 * `files.completeUploadExternal` (form, `files` as a JSON string).
 *
 * @module
 */
import { z } from 'zod';
import { createBearerAuth } from '../auth/bearer.js';
import { jsonOf } from './body.js';
import { readResponse } from './client.js';
import { type ConnectorOptions, createConnector } from './connector.js';
import { defineAction, defineConnector, secret } from './define.js';
import { httpError, rejected, retryAfterSeconds, upstream } from './errors.js';
import type { VendorResponse } from './http-port.js';
import type { Connector } from './types.js';

/** Slack's default API base (the official SDK's `slackApiUrl`). */
export const SLACK_API_URL = 'https://slack.com/api/';

const credentials = z.object({
  /** Bot token from the app's installation (`xoxb-…`). */
  botToken: secret(z.string().regex(/^xox[bp]-/, 'a Slack bot token starts with xoxb-')),
});

/** Credentials of the Slack connector. */
export type SlackCredentials = z.output<typeof credentials>;

/** Reads a Slack answer: `ok:true` bodies pass; `ok:false` and non-200 become connector errors. */
function interpretSlack(response: VendorResponse, integration: string): unknown {
  const body = jsonOf(response) as
    | { ok?: boolean; error?: string; needed?: string; provided?: string }
    | undefined;
  const wait = retryAfterSeconds(response);
  if (response.status === 429 || body?.error === 'ratelimited') {
    return throwing(
      upstream(`Rate limited${wait === undefined ? '' : `; retry after ${wait} s`}`, {
        integration,
        status: response.status,
        vendorCode: 'ratelimited',
        ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
      }),
    );
  }
  if (response.status !== 200) return throwing(httpError(integration, response, { code: body?.error }));
  if (body?.ok === false) {
    const error = body.error ?? 'unknown_error';
    return throwing(
      rejected(`Slack refused the call: ${error}`, {
        integration,
        status: 200,
        vendorCode: error,
        ...(body.needed ? { needed: body.needed } : {}),
        ...(body.provided ? { provided: body.provided } : {}),
      }),
    );
  }
  return readResponse(response, integration);
}

function throwing(error: Error): never {
  throw error;
}

const postMessageInput = z
  .object({
    /** Channel id (`C0123456789`) or name. */
    channel: z.string().min(1),
    text: z.string().optional(),
    /** Block Kit blocks. */
    blocks: z.array(z.record(z.string(), z.unknown())).optional(),
    /** Reply in this thread (the parent's `ts`). */
    threadTs: z.string().optional(),
  })
  .refine((v) => v.text !== undefined || v.blocks !== undefined, { message: 'text or blocks is required' });

const uploadFileInput = z.object({
  /** Share in this channel (id); omitted, the file stays private to the bot. */
  channel: z.string().min(1).optional(),
  /** Name shown in Slack. @default the file's name */
  filename: z.string().min(1).optional(),
  /** @default the file name */
  title: z.string().optional(),
  /** Message posted with the file. */
  initialComment: z.string().optional(),
  /** Share as a reply in this thread (the parent's `ts`). */
  threadTs: z.string().optional(),
  /** Description for screen readers (images). */
  altText: z.string().max(1000).optional(),
});

/** The Slack connector, declared: bot-token auth, `auth.test`, `postMessage`, `uploadFile`. */
export const slackConnector = defineConnector({
  slug: 'slack',
  name: 'Slack',
  credentials,
  endpoints: () => SLACK_API_URL,
  auth: (c) => createBearerAuth(c.botToken),
  interpret: interpretSlack,
  async testConnection(client) {
    const { data } = await client.request({
      path: 'auth.test',
      form: {},
      // a read, even though Slack's methods are all POSTs
      idempotent: true,
      response: z.object({
        team_id: z.string(),
        user_id: z.string(),
        team: z.string().optional(),
        user: z.string().optional(),
        bot_id: z.string().optional(),
      }),
    });
    return {
      team: data.team,
      teamId: data.team_id,
      user: data.user,
      userId: data.user_id,
      botId: data.bot_id,
    };
  },
  actions: {
    postMessage: defineAction({
      description: 'Posts a message (chat.postMessage) to a channel, optionally in a thread.',
      input: postMessageInput,
      async run(client, input) {
        const { data } = await client.request({
          path: 'chat.postMessage',
          response: z.object({ channel: z.string(), ts: z.string() }),
          json: { channel: input.channel, text: input.text, blocks: input.blocks, thread_ts: input.threadTs },
        });
        return { channel: data.channel, ts: data.ts };
      },
    }),
    uploadFile: defineAction({
      description:
        'Uploads a file with the external upload flow (getUploadURLExternal → upload_url → completeUploadExternal) and shares it in a channel.',
      input: uploadFileInput,
      file: true,
      timeoutMs: 120_000,
      async run(client, input, { file }) {
        if (!file) throw rejected('uploadFile needs a file', { integration: 'slack' });
        const filename = input.filename ?? file.name;
        // The upload slot and its bytes are safe to ask for again: nobody sees them until the
        // completion, and Slack discards an upload that is never completed. The completion
        // shares the file: it is not repeated once it may have reached Slack.
        const { data: slot } = await client.request({
          path: 'files.getUploadURLExternal',
          idempotent: true,
          response: z.object({ upload_url: z.string(), file_id: z.string() }),
          form: { filename, length: file.size, alt_txt: input.altText },
        });
        const upload = await client.request({
          method: 'POST',
          path: slot.upload_url,
          body: await file.open(client.signal),
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.size) },
          // a pre-signed URL: the bot token is not sent to it
          auth: false,
          raw: true,
          idempotent: true,
        });
        // success is exactly 200, with a short text body that is not Slack JSON
        if (upload.status !== 200) throw httpError('slack', upload);
        const { data } = await client.request({
          path: 'files.completeUploadExternal',
          response: z.object({ files: z.array(z.object({ id: z.string(), title: z.string().optional() })) }),
          form: {
            files: [{ id: slot.file_id, title: input.title ?? filename }],
            channel_id: input.channel,
            initial_comment: input.initialComment,
            thread_ts: input.threadTs,
          },
        });
        return { fileId: slot.file_id, files: data.files };
      },
    }),
  },
});

/** Options of {@link createSlackConnector}. */
export type SlackConnectorOptions = ConnectorOptions<typeof credentials>;

/**
 * Creates a Slack connector.
 *
 * @example
 * ```ts
 * const slack = createSlackConnector({ credentials: { botToken: process.env.SLACK_BOT_TOKEN! } });
 * await slack.action('postMessage', { channel: 'C0123456789', text: 'invoice-42 processed' });
 * ```
 */
export function createSlackConnector(options: SlackConnectorOptions): Connector {
  return createConnector(slackConnector, options);
}
