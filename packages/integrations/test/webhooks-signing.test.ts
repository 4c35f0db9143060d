import { FileForgeError } from '@fileforge/core';
import { createRng } from '@fileforge/test-fixtures/random';
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
    // The signature's text must be the real one: junk spliced into it is not skipped.
    const spliced = `${VECTOR.signature.slice(0, 12)}*${VECTOR.signature.slice(12)}`;
    expect(() =>
      verifyWebhook(VECTOR.secret, { ...headers, 'webhook-signature': spliced }, VECTOR.body, { now }),
    ).toThrow(expect.objectContaining({ details: { reason: 'signature_mismatch' } }));
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

describe('verifyWebhook under hostile headers (seeded fuzz)', () => {
  const REASONS = [
    'missing_headers',
    'invalid_timestamp',
    'timestamp_too_old',
    'timestamp_too_new',
    'signature_mismatch',
  ];
  const noise = [
    'v1,',
    'v1',
    ',',
    ' ',
    '  ',
    '=',
    '+',
    '/',
    'v2,',
    'é',
    '\u0000',
    'AAAA',
    '9'.repeat(40),
    'x',
  ];

  it('accepts exactly the deliveries the secret signed, and refuses the rest with UNAUTHENTICATED or BAD_REQUEST', () => {
    const now = () => VECTOR.timestamp * 1000;
    const outcomes = { accepted: 0, refused: 0, notJson: 0 };
    for (let seed = 1; seed <= 2000; seed++) {
      const r = createRng(seed);
      const mangle = (value: string) => {
        let out = value;
        for (let i = r.int(1, 3); i > 0; i--) {
          const at = r.int(0, out.length);
          out = out.slice(0, at) + r.pick(noise) + out.slice(at + (r.chance(0.5) ? 1 : 0));
        }
        return out;
      };
      // The signed delivery, then some of its parts spoiled.
      let body: string | Uint8Array = VECTOR.body;
      let signed = true;
      if (r.chance(0.15)) {
        // Bytes that are not JSON, signed properly: the signature holds, the body does not parse.
        body = new Uint8Array(r.int(0, 40)).map(() => r.int(0, 255));
      }
      const id = r.chance(0.2) ? mangle(VECTOR.id) : VECTOR.id;
      const timestamp = r.chance(0.2) ? mangle(String(VECTOR.timestamp)) : String(VECTOR.timestamp);
      const real = signWebhook([VECTOR.secret], VECTOR.id, VECTOR.timestamp, body);
      const entries = Array.from({ length: r.int(0, 4) }, () => mangle(r.pick([real, 'v1,AAAA', ''])));
      const keepReal = r.chance(0.6);
      if (keepReal) entries.splice(r.int(0, entries.length), 0, real);
      const headers: Record<string, string | string[]> = {
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': entries.join(' '),
      };
      if (r.chance(0.1)) delete headers[r.pick(Object.keys(headers))];
      if (r.chance(0.1)) headers['webhook-signature'] = [entries.join(' '), 'v1,AAAA'];
      signed =
        keepReal &&
        id === VECTOR.id &&
        timestamp === String(VECTOR.timestamp) &&
        headers['webhook-id'] !== undefined &&
        headers['webhook-timestamp'] !== undefined &&
        headers['webhook-signature'] !== undefined;
      const where = `seed ${seed}: ${JSON.stringify(headers)}`;
      let result: unknown;
      let thrown: unknown;
      try {
        result = verifyWebhook(VECTOR.secret, headers, body, { now });
      } catch (error) {
        thrown = error;
      }
      if (thrown === undefined) {
        outcomes.accepted++;
        expect(signed, where).toBe(true);
        expect(result, where).toEqual(JSON.parse(Buffer.from(body).toString('utf8')));
        continue;
      }
      expect(FileForgeError.is(thrown), `${where}: ${String(thrown)}`).toBe(true);
      const error = thrown as FileForgeError;
      if (error.code === 'BAD_REQUEST') {
        // Only a delivery the secret signed gets as far as parsing its body.
        outcomes.notJson++;
        expect(signed, where).toBe(true);
      } else {
        outcomes.refused++;
        expect(error.code, where).toBe('UNAUTHENTICATED');
        expect(REASONS, where).toContain(error.details?.reason);
      }
    }
    // Each outcome is reached often, so every branch above is checked.
    expect(outcomes.accepted).toBeGreaterThan(200);
    expect(outcomes.refused).toBeGreaterThan(500);
    expect(outcomes.notJson).toBeGreaterThan(30);
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
