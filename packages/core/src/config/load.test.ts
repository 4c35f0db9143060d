import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({}, '/srv/ff');
    expect(config).toMatchObject({
      port: 8000,
      maxFileSize: 104_857_600,
      dataDir: '/srv/ff/data',
      uploadFolder: '/srv/ff/data/uploads',
      sortedFolder: '/srv/ff/data/sorted',
      databaseUrl: 'sqlite:/srv/ff/data/fileforge.db',
    });
  });

  it('names the variable and the expected form when a value is bad', () => {
    expect(() => loadConfig({ MAX_FILE_SIZE: '10MB', PORT: '99999' })).toThrowError(
      /PORT: expected a TCP port[\s\S]*MAX_FILE_SIZE: expected a positive integer number of bytes \(got "10MB"\)/,
    );
  });

  it('reads overrides', () => {
    const config = loadConfig(
      { PORT: '9000', UPLOAD_FOLDER: '/u', DEBUG: 'true', ALLOWED_ORIGINS: 'https://a, https://b' },
      '/x',
    );
    expect(config).toMatchObject({
      port: 9000,
      uploadFolder: '/u',
      debug: true,
      allowedOrigins: ['https://a', 'https://b'],
    });
  });
});

describe('loadConfig: allow-list', () => {
  it('parses ALLOWED_FILE_TYPES and refuses malformed entries', () => {
    expect(loadConfig({ ALLOWED_FILE_TYPES: 'image/*, application/pdf' }).allowedFileTypes).toEqual([
      'image/*',
      'application/pdf',
    ]);
    expect(loadConfig({}).allowedFileTypes).toBeUndefined();
    expect(() => loadConfig({ ALLOWED_FILE_TYPES: 'images' })).toThrowError(
      /ALLOWED_FILE_TYPES: expected a comma-separated/,
    );
  });
});

describe('loadConfig: slow and greedy clients (issue 7)', () => {
  it('defaults the deadlines, minimum upload rate and connection cap, and takes 0 to disable the last two', () => {
    expect(loadConfig({}).env).toMatchObject({
      REQUEST_HEADERS_TIMEOUT_MS: 60_000,
      REQUEST_BODY_TIMEOUT_MS: 30_000,
      UPLOAD_MIN_BYTES_PER_S: 1024,
      UPLOAD_RATE_WINDOW_MS: 10_000,
      MAX_CONNECTIONS_PER_CLIENT: 64,
    });
    expect(loadConfig({ UPLOAD_MIN_BYTES_PER_S: '0', MAX_CONNECTIONS_PER_CLIENT: '0' }).env).toMatchObject({
      UPLOAD_MIN_BYTES_PER_S: 0,
      MAX_CONNECTIONS_PER_CLIENT: 0,
    });
    expect(() => loadConfig({ REQUEST_BODY_TIMEOUT_MS: '0' })).toThrowError(/REQUEST_BODY_TIMEOUT_MS/);
    expect(() => loadConfig({ MAX_CONNECTIONS_PER_CLIENT: '-1' })).toThrowError(/MAX_CONNECTIONS_PER_CLIENT/);
  });
});

describe('loadConfig: outbound SSRF guard (issue 11)', () => {
  it('defaults to no allowed hosts and http allowed, and reads both variables', () => {
    expect(loadConfig({})).toMatchObject({ webhookAllowedHosts: [], webhookRequireHttps: false });
    expect(
      loadConfig({
        WEBHOOK_ALLOWED_HOSTS: 'localhost, 127.0.0.0/8,::1,[::1],*.corp.example',
        WEBHOOK_REQUIRE_HTTPS: 'true',
      }),
    ).toMatchObject({
      webhookAllowedHosts: ['localhost', '127.0.0.0/8', '::1', '[::1]', '*.corp.example'],
      webhookRequireHttps: true,
    });
  });

  it('names WEBHOOK_ALLOWED_HOSTS when an entry is neither a host, an IP nor a CIDR network', () => {
    for (const bad of ['10.0.0.0/33', 'http://x', 'a b', '::1/129', 'localhost/8']) {
      expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: bad })).toThrowError(
        /WEBHOOK_ALLOWED_HOSTS: expected a comma-separated/,
      );
    }
    expect(() => loadConfig({ WEBHOOK_REQUIRE_HTTPS: 'maybe' })).toThrowError(/WEBHOOK_REQUIRE_HTTPS/);
  });

  it('names SENTRY_DSN when it is not a DSN, and takes one that is', () => {
    for (const bad of [
      'not a dsn at all',
      'https://o0.ingest.sentry.io/42',
      'https://key@o0.ingest.sentry.io/',
    ]) {
      expect(() => loadConfig({ SENTRY_DSN: bad })).toThrowError(/SENTRY_DSN: expected a Sentry DSN/);
    }
    const dsn = 'https://abc123@o0.ingest.sentry.io/42';
    expect(loadConfig({ SENTRY_DSN: dsn }).env.SENTRY_DSN).toBe(dsn);
  });
});
