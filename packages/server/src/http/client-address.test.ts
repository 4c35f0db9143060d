import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createClientAddressing, ipKey } from './client-address.js';

/** Asks `addressing` about a request from socket peer `peer` with `headers`. */
async function ask(trusted: string[], peer: string, headers: Record<string, string>, url = 'http://x/') {
  const addressing = createClientAddressing(trusted);
  const app = new Hono().get('/', (c) =>
    c.json({ address: addressing.addressOf(c), tls: addressing.viaTls(c) }),
  );
  const env = { incoming: { socket: { remoteAddress: peer, remotePort: 1234, remoteFamily: 'IPv4' } } };
  const res = await app.request(url, { headers }, env);
  return (await res.json()) as { address: string; tls: boolean };
}

describe('client addressing (security spec K1)', () => {
  it('believes X-Forwarded-For and X-Forwarded-Proto only from a trusted proxy', async () => {
    const forwarded = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' };
    expect(await ask(['10.0.0.0/8'], '10.0.0.5', forwarded)).toEqual({ address: '203.0.113.7', tls: true });
    // A proxy is configured, but this peer is not it: its headers are its own word.
    expect(await ask(['10.0.0.0/8'], '198.51.100.9', forwarded)).toEqual({
      address: '198.51.100.9',
      tls: false,
    });
    expect(await ask([], '10.0.0.5', forwarded)).toEqual({ address: '10.0.0.5', tls: false });
  });

  it('counts an https URL as TLS whoever the peer is', async () => {
    expect((await ask([], '198.51.100.9', {}, 'https://x/')).tls).toBe(true);
  });

  it('keys IPv6 clients by their /56 and IPv4-mapped addresses as IPv4', () => {
    expect(ipKey('2001:db8:1:2::10')).toBe(ipKey('2001:db8:1:2::99'));
    expect(ipKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });
});
