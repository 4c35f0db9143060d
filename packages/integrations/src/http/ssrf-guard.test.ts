import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createSsrfGuard, type ResolveHost, validateOutboundUrl } from './ssrf-guard.js';

const answers =
  (table: Record<string, string[]>): ResolveHost =>
  async (hostname) => {
    const list = table[hostname];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a refusal');
};

describe('SsrfGuard.checkUrl', () => {
  const guard = createSsrfGuard();

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', /link-local/],
    ['http://0x7f.0.0.1/', '127.0.0.1', /loopback/],
    ['http://2130706433/', '127.0.0.1', /loopback/],
    ['http://127.1:8080/', '127.0.0.1', /loopback/],
    ['http://0177.0.0.1/', '127.0.0.1', /loopback/],
    ['http://[::1]/', '::1', /loopback/],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1', /loopback.*IPv4-mapped/],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1', /loopback.*IPv4-mapped/],
    ['https://[64:ff9b::a9fe:a9fe]/', '64:ff9b::a9fe:a9fe', /link-local.*NAT64/],
    ['http://0.0.0.0:8000/', '0.0.0.0', /this network/],
    ['http://[::]/', '::', /unspecified/],
    ['http://10.0.0.5/', '10.0.0.5', /private/],
  ])('refuses the IP literal in %s as WEBHOOK_URL_FORBIDDEN, naming host and reason', (url, host, why) => {
    const error = refusal(() => guard.checkUrl(url));
    expect(error.code).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(error.message).toContain(`"${host}"`);
    expect(error.message).toMatch(why);
    expect(error.message).toContain('WEBHOOK_ALLOWED_HOSTS');
  });

  it('accepts http and https on any port, and nothing else', () => {
    expect(guard.checkUrl('http://example.com:8081/hook').port).toBe('8081');
    expect(guard.checkUrl('https://8.8.8.8/').hostname).toBe('8.8.8.8');
    for (const url of [
      'ftp://example.com/',
      'file:///etc/passwd',
      'gopher://example.com/',
      'data:text/plain,x',
    ]) {
      expect(refusal(() => guard.checkUrl(url)).code).toBe('WEBHOOK_URL_FORBIDDEN');
    }
    expect(refusal(() => guard.checkUrl('not a url')).code).toBe('VALIDATION_FAILED');
  });

  it('refuses a URL carrying credentials (user:password@), which would be stored and listed with it', () => {
    for (const url of [
      'http://u:p@8.8.8.8/',
      'https://token@hooks.example.com/in',
      'https://:secret@example.com/',
    ]) {
      const error = refusal(() => guard.checkUrl(url));
      expect(error.code).toBe('WEBHOOK_URL_FORBIDDEN');
      expect(error.message).toMatch(/credentials in the URL/);
    }
  });

  it('refuses plain http when https is required', () => {
    const strict = createSsrfGuard({ requireHttps: true });
    expect(refusal(() => strict.checkUrl('http://example.com/')).message).toMatch(/https is required/);
    expect(strict.checkUrl('https://example.com/').protocol).toBe('https:');
  });

  it('lets allow-listed addresses and networks through, and only those', () => {
    const allowing = createSsrfGuard({ allowedHosts: 'localhost, 127.0.0.0/8,::1,[fd00::7]' });
    expect(allowing.checkUrl('http://127.0.0.1:3000/').hostname).toBe('127.0.0.1');
    expect(allowing.checkUrl('http://0x7f.0.0.2/').hostname).toBe('127.0.0.2');
    expect(allowing.checkUrl('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
    expect(allowing.checkUrl('http://[::1]/').hostname).toBe('[::1]');
    expect(allowing.checkUrl('http://[fd00::7]/').hostname).toBe('[fd00::7]');
    expect(refusal(() => allowing.checkUrl('http://[fd00::8]/')).code).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(refusal(() => allowing.checkUrl('http://169.254.169.254/')).code).toBe('WEBHOOK_URL_FORBIDDEN');
  });

  it('refuses a malformed allow-list entry at construction, naming it', () => {
    for (const entry of ['10.0.0.0/33', 'example.com/8', 'http://x', 'a b', '::1/129']) {
      expect(refusal(() => createSsrfGuard({ allowedHosts: [entry] }))).toMatchObject({
        code: 'INVALID_CONFIG',
        message: expect.stringContaining(`"${entry}"`),
      });
    }
  });
});

describe('SsrfGuard.resolve', () => {
  it('refuses a name if any one of its addresses is forbidden (public + private mix)', async () => {
    const guard = createSsrfGuard({ resolve: answers({ 'mixed.test': ['93.184.215.14', '10.0.0.1'] }) });
    await expect(guard.resolve('mixed.test')).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
      message: expect.stringMatching(/"mixed.test": it resolves to 10.0.0.1, which is private/),
    });
  });

  it('accepts names that resolve only to public addresses, and allow-listed names whatever they resolve to', async () => {
    const resolve = answers({
      'public.test': ['93.184.215.14', '2606:4700::1'],
      'db.corp.example': ['10.1.1.1'],
    });
    expect(await createSsrfGuard({ resolve }).resolve('public.test')).toHaveLength(2);
    const allowing = createSsrfGuard({ resolve, allowedHosts: ['*.corp.example'] });
    expect(await allowing.resolve('db.corp.example')).toEqual([{ address: '10.1.1.1', family: 4 }]);
    await expect(createSsrfGuard({ resolve }).resolve('db.corp.example')).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
    });
  });
});

describe('validateOutboundUrl', () => {
  const resolve = answers({ 'hooks.example': ['93.184.215.14'], 'metadata.example': ['169.254.169.254'] });
  const guard = createSsrfGuard({ resolve });

  it('accepts a public URL and refuses one whose host resolves to the metadata address', async () => {
    expect((await validateOutboundUrl('https://hooks.example/in', guard)).hostname).toBe('hooks.example');
    await expect(validateOutboundUrl('https://metadata.example/', guard)).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
      message: expect.stringMatching(/169\.254\.169\.254/),
    });
  });

  it('says clearly when the host does not resolve', async () => {
    await expect(validateOutboundUrl('https://nowhere.example/', guard)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/"nowhere.example" does not resolve \(ENOTFOUND\)/),
    });
  });
});
