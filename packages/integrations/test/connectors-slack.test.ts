import { describe, expect, it } from 'vitest';
import { createSlackConnector } from '../src/connectors/index.js';
import { createHttpClient } from '../src/http/index.js';
import { createSlackFake, slackFaults } from './fakes/slack.js';
import { connectorMaker, memoryFile, quickHa, recordingSleep, useFakes } from './support/connectors.js';

const TOKEN = 'xoxb-fileforge-test';
const fake = createSlackFake();
const http = useFakes([fake]);

const slack = connectorMaker(createSlackConnector, () => ({
  credentials: { botToken: TOKEN },
  endpoints: fake.apiUrl,
  http,
  ha: quickHa,
}));

describe('Slack connector', () => {
  it("gives a request the attempt's deadline, not the HTTP client's shorter default", async () => {
    // A client whose own default deadline is 300 ms (the server's is 30 s), an answer that
    // takes 800 ms, an attempt allowed 5 s: the attempt's deadline is the one that holds.
    const short = createHttpClient({ guard: { allowedHosts: ['127.0.0.1'] }, timeoutMs: 300 });
    try {
      fake.service.inject({
        status: 200,
        body: {
          ok: true,
          url: 'https://fileforge.slack.com/',
          team: 'FileForge Test',
          user: 'fileforge',
          team_id: 'T0FILEFORGE',
          user_id: 'U0FILEFORGE',
          bot_id: 'B0FILEFORGE',
        },
        delayMs: 800,
        match: (r) => r.path === '/api/auth.test',
      });
      const connector = createSlackConnector({
        credentials: { botToken: TOKEN },
        endpoints: fake.apiUrl,
        http: short,
        ha: { ...quickHa, maxRetries: 0 },
      });
      const result = await connector.testConnection();
      expect(result).toMatchObject({ success: true, data: { teamId: 'T0FILEFORGE' } });
    } finally {
      await short.close();
    }
  });

  it('tests the connection with auth.test (POST, Bearer token, form body)', async () => {
    const result = await slack().testConnection();
    expect(result).toMatchObject({
      success: true,
      attempt: 1,
      data: { teamId: 'T0FILEFORGE', botId: 'B0FILEFORGE' },
    });
    const [call] = fake.service.requestsTo('POST', '/api/auth.test');
    expect(call?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('posts a message with chat.postMessage as JSON with charset, as Slack documents', async () => {
    const result = await slack().action('postMessage', {
      channel: 'C0GENERAL01',
      text: 'invoice-42 processed',
      threadTs: '1503435956.000247',
    });
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({ channel: 'C0GENERAL01', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    const [call] = fake.service.requestsTo('POST', '/api/chat.postMessage');
    expect(call?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(call?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call?.json).toEqual({
      channel: 'C0GENERAL01',
      text: 'invoice-42 processed',
      thread_ts: '1503435956.000247',
    });
    expect(fake.messages.at(-1)).toMatchObject({
      channel: 'C0GENERAL01',
      text: 'invoice-42 processed',
      threadTs: '1503435956.000247',
    });
  });

  it('uploads a file with the three-step external flow and shares it in the channel', async () => {
    const bytes = Buffer.from('%PDF-1.7\n fileforge test document\n');
    const file = memoryFile(bytes);
    const result = await slack().action(
      'uploadFile',
      { channel: 'C0GENERAL01', initialComment: 'invoice-42 processed' },
      { file },
    );
    expect(result.success).toBe(true);
    const fileId = (result.data as { fileId: string }).fileId;
    expect(fileId).toMatch(/^F/);

    // 1. files.getUploadURLExternal, form-encoded, filename and length
    const [step1] = fake.calls('files.getUploadURLExternal');
    expect(step1?.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(step1?.args).toEqual({ filename: 'invoice-42.pdf', length: String(bytes.length) });
    // 2. the bytes, raw, to the absolute upload_url (no bot token sent to it)
    const upload = fake.uploads.get(fileId)!;
    const [step2] = fake.service.requestsTo('POST', new URL(upload.uploadUrl).pathname);
    expect(step2?.body.equals(bytes)).toBe(true);
    expect(step2?.headers.authorization).toBeUndefined();
    expect(upload).toMatchObject({ encoding: 'raw', completed: true, title: 'invoice-42.pdf' });
    // 3. files.completeUploadExternal, form with `files` as a JSON string
    const [step3] = fake.calls('files.completeUploadExternal');
    expect(step3?.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(JSON.parse(step3?.args.files as string)).toEqual([{ id: fileId, title: 'invoice-42.pdf' }]);
    expect(step3?.args).toMatchObject({ channel_id: 'C0GENERAL01', initial_comment: 'invoice-42 processed' });
    // the order Slack requires, and the message in the channel
    expect(fake.service.requests.map((r) => r.path.replace(/\/upload\/v1\/.*/, '/upload'))).toEqual([
      '/api/files.getUploadURLExternal',
      '/upload',
      '/api/files.completeUploadExternal',
    ]);
    expect(fake.messages.at(-1)).toMatchObject({
      channel: 'C0GENERAL01',
      text: 'invoice-42 processed',
      files: [fileId],
    });
    expect(file.opened).toBe(1);
  });

  it('maps HTTP 200 ok:false to INTEGRATION_REJECTED with Slack’s error string, without retrying', async () => {
    const result = await slack().action('postMessage', { channel: 'C_NOPE', text: 'hi' });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: {
        code: 'INTEGRATION_REJECTED',
        details: { integration: 'slack', vendorCode: 'channel_not_found', status: 200 },
      },
    });
    expect(fake.service.requestsTo('POST', '/api/chat.postMessage')).toHaveLength(1);
  });

  it('reports a bad token as invalid_auth', async () => {
    const result = await slack({ credentials: { botToken: 'xoxb-wrong' } }).testConnection();
    expect(result.error).toMatchObject({
      code: 'INTEGRATION_REJECTED',
      details: { vendorCode: 'invalid_auth' },
    });
  });

  it('waits for Retry-After on a 429 and then succeeds', async () => {
    fake.service.inject(slackFaults.rateLimited('chat.postMessage', 2));
    const { waits, sleep } = recordingSleep();
    const result = await slack({ clock: { sleep } }).action('postMessage', {
      channel: 'general',
      text: 'after the limit',
    });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toEqual([2000]);
    expect(fake.service.requestsTo('POST', '/api/chat.postMessage')).toHaveLength(2);
  });

  it('really waits (capped by maxRetryAfterMs) when no sleep is injected', async () => {
    fake.service.inject(slackFaults.rateLimited('chat.postMessage', 1));
    const started = Date.now();
    const result = await slack({ ha: { ...quickHa, maxRetryAfterMs: 150 } }).action('postMessage', {
      channel: 'general',
      text: 'x',
    });
    expect(result.success).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('retries an ok:false ratelimited answer too', async () => {
    fake.service.inject(slackFaults.error('chat.postMessage', 'ratelimited'));
    const { waits, sleep } = recordingSleep();
    const result = await slack({ clock: { sleep, random: () => 0.5 } }).action('postMessage', {
      channel: 'general',
      text: 'x',
    });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toHaveLength(1);
  });

  it('retries the whole upload (re-opening the file) when the completion is rate limited', async () => {
    fake.service.inject(slackFaults.rateLimited('files.completeUploadExternal', 1));
    const { sleep } = recordingSleep();
    const file = memoryFile(Buffer.from('retry me'), 'notes.txt');
    const result = await slack({ clock: { sleep } }).action(
      'uploadFile',
      { channel: 'C0GENERAL01' },
      { file },
    );
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(file.opened).toBe(2);
    expect(fake.calls('files.getUploadURLExternal')).toHaveLength(2);
  });

  it('refuses input that does not match the action schema before calling Slack', async () => {
    const result = await slack().action('postMessage', { channel: 'general' });
    expect(result.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fake.service.requests).toHaveLength(0);
  });

  it('send() posts any method as JSON with the bot token', async () => {
    const result = await slack().send('chat.postMessage', { channel: 'general', text: 'raw send' });
    expect(result).toMatchObject({ success: true, data: { ok: true, channel: 'C0GENERAL01' } });
  });

  it('fails at construction on credentials that do not match the schema, naming the field only', () => {
    expect(() => slack({ credentials: { botToken: 'not-a-token' } })).toThrow(
      /Invalid credentials: botToken/,
    );
  });
});
