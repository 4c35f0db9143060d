import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signedHeaders, signWebhook, verifyWebhook } from '../src/index.js';
import { createSecretBox } from '../src/webhooks/secret-box.js';

// The test vector of the Standard Webhooks specification.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('produces the specification test vector', () => {
    expect(signWebhook([VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(new Webhook(VECTOR.secret).sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('signs with every secret given, space-separated (rotation overlap)', () => {
    const other = generateWebhookSecret();
    const header = signWebhook([other, VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body);
    const entries = header.split(' ');
    expect(entries).toHaveLength(2);
    expect(entries[1]).toBe(VECTOR.signature);
  });

  it('makes whsec_ secrets of 32 random bytes that standardwebhooks accepts', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    const body = '{"type":"file.processed"}';
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders([secret], 'msg_1', now, body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual({ type: 'file.processed' });
  });
});

describe('verifyWebhook', () => {
  const headers = {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestamp),
    'webhook-signature': VECTOR.signature,
  };
  const at = (sec: number) => () => sec * 1000;

  it('accepts the specification vector and returns the parsed body', () => {
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, { now: at(VECTOR.timestamp) })).toEqual({
      test: 2432232314,
    });
  });

  it('accepts any one of several signatures, and Fetch Headers', () => {
    const many = { ...headers, 'webhook-signature': `v1,AAAA v2,xyz ${VECTOR.signature}` };
    expect(() =>
      verifyWebhook(VECTOR.secret, new Headers(many), VECTOR.body, { now: at(VECTOR.timestamp) }),
    ).not.toThrow();
  });

  it('rejects a tampered body, a wrong secret and a missing header', () => {
    const now = at(VECTOR.timestamp);
    expect(() => verifyWebhook(VECTOR.secret, headers, '{"test": 2432232315}', { now })).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED', details: { reason: 'signature_mismatch' } }),
    );
    expect(() => verifyWebhook(generateWebhookSecret(), headers, VECTOR.body, { now })).toThrow(/matches/);
    const { 'webhook-id': _, ...noId } = headers;
    expect(() => verifyWebhook(VECTOR.secret, noId, VECTOR.body, { now })).toThrow(
      expect.objectContaining({ details: { reason: 'missing_headers' } }),
    );
  });

  it('rejects timestamps more than toleranceSec old or new', () => {
    const opts = (delta: number, toleranceSec?: number) => ({
      now: at(VECTOR.timestamp + delta),
      ...(toleranceSec === undefined ? {} : { toleranceSec }),
    });
    expect(() => verifyWebhook(VECTOR.secret, headers, VECTOR.body, opts(300))).not.toThrow();
    expect(() => verifyWebhook(VECTOR.secret, headers, VECTOR.body, opts(301))).toThrow(
      expect.objectContaining({ details: { reason: 'timestamp_too_old' } }),
    );
    expect(() => verifyWebhook(VECTOR.secret, headers, VECTOR.body, opts(-301))).toThrow(
      expect.objectContaining({ details: { reason: 'timestamp_too_new' } }),
    );
    expect(() => verifyWebhook(VECTOR.secret, headers, VECTOR.body, opts(1000, 2000))).not.toThrow();
  });
});

describe('endpoint secrets at rest', () => {
  it('are AES-GCM sealed under SECRET_KEY, bound to their endpoint', () => {
    const box = createSecretBox('a-secret-key-of-enough-length');
    const sealed = box.seal('whsec_abc', 'endpoint-1');
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed, 'endpoint-1')).toBe('whsec_abc');
    expect(() => createSecretBox('another-secret-key-of-length').open(sealed, 'endpoint-1')).toThrow(
      /SECRET_KEY/,
    );
    expect(() => createSecretBox('a-secret-key-of-enough-length').open(sealed, 'endpoint-2')).toThrow();
    expect(() => createSecretBox('short')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
