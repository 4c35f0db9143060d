/**
 * The Slack fake checked against Slack's own client: if `@slack/web-api` agrees with the fake,
 * the fake speaks Slack's wire contract, not just ours.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackFake, type SlackFake, slackFaults } from './fakes/slack.js';

let fake: SlackFake;
let client: WebClient;

beforeAll(async () => {
  fake = createSlackFake();
  await fake.start();
  client = new WebClient('xoxb-fileforge-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterAll(() => fake.close());

describe('Slack fake against @slack/web-api', () => {
  it('chat.postMessage succeeds and is stored', async () => {
    const result = await client.chat.postMessage({ channel: 'C0GENERAL01', text: 'hello from the SDK' });
    expect(result.ok).toBe(true);
    expect(result.channel).toBe('C0GENERAL01');
    expect(fake.messages.at(-1)).toMatchObject({ text: 'hello from the SDK', ts: result.ts });
    // the SDK sends a form with the Bearer header
    const [call] = fake.calls('chat.postMessage');
    expect(call?.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call?.request.headers.authorization).toBe('Bearer xoxb-fileforge-test');
  });

  it('filesUploadV2 runs the three-step flow against the fake', async () => {
    const content = Buffer.from('bytes uploaded by the official client');
    const result = await client.filesUploadV2({
      channel_id: 'C0GENERAL01',
      file: content,
      filename: 'sdk.txt',
      title: 'SDK upload',
      initial_comment: 'from filesUploadV2',
    });
    expect(result.ok).toBe(true);
    const upload = [...fake.uploads.values()].find((u) => u.filename === 'sdk.txt')!;
    expect(upload.bytes?.equals(content)).toBe(true);
    expect(upload).toMatchObject({ completed: true, title: 'SDK upload', length: content.length });
    expect(fake.messages.at(-1)).toMatchObject({ text: 'from filesUploadV2', files: [upload.fileId] });
  });

  it('an ok:false answer is an SDK platform error carrying Slack’s error string', async () => {
    await expect(client.chat.postMessage({ channel: 'C_MISSING', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'channel_not_found' },
    });
  });

  it('a 429 with Retry-After is what the SDK reads as a rate limit', async () => {
    fake.service.inject(slackFaults.rateLimited('chat.postMessage', 7));
    await expect(client.chat.postMessage({ channel: 'C0GENERAL01', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
  });

  it('a bad token gets invalid_auth', async () => {
    const stranger = new WebClient('xoxb-unknown', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });
});
