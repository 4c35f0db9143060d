import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, Role, UserRecord } from '../model/account.js';
import { type SaverAccounts, saverMayChange } from './saver.js';

const user = (id: string, role: Role, extra: Partial<UserRecord> = {}): UserRecord => ({
  id,
  tenant: 'default',
  email: `${id}@example.test`,
  passwordHash: 'x',
  role,
  disabled: false,
  tokenVersion: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

const key = (id: string, role: Role, userId: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id,
  tenant: 'default',
  name: id,
  role,
  userId,
  secretHash: 'x',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  ...extra,
});

const users = [
  user('ada', 'admin'),
  user('eve', 'editor'),
  user('vic', 'viewer'),
  user('dan', 'editor', { disabled: true }),
  user('oz', 'admin', { tenant: 'acme' }),
  user('demoted', 'editor'),
];
const keys = [
  key('adas-editor-key', 'editor', 'ada'),
  key('adas-admin-key', 'admin', 'ada'),
  key('demoteds-admin-key', 'admin', 'demoted'),
  key('revoked-key', 'admin', 'ada', { revokedAt: '2026-01-02T00:00:00.000Z' }),
];
const accounts: SaverAccounts = {
  getUser: async (id) => users.find((u) => u.id === id) ?? null,
  getApiKey: async (id) => keys.find((k) => k.id === id) ?? null,
};

const adasFile = { ownerId: 'ada', apiKeyId: null };
const evesFile = { ownerId: 'eve', apiKeyId: null };
const throughAdasEditorKey = { ownerId: 'ada', apiKeyId: 'adas-editor-key' };
const mayChange = (
  savedBy: { kind: 'user' | 'api_key'; id: string } | null,
  file: typeof adasFile | typeof throughAdasEditorKey,
) => saverMayChange(accounts, { tenant: 'default', savedBy }, file);

describe('saverMayChange (whose rights a triggered run has)', () => {
  it('lets a workflow saved without a saver (the SDK) run on every file', async () => {
    expect(await mayChange(null, adasFile)).toBe(true);
  });

  it("lets an admin's workflow run on any file, and an editor's only on the editor's own uploads", async () => {
    expect(await mayChange({ kind: 'user', id: 'ada' }, evesFile)).toBe(true);
    expect(await mayChange({ kind: 'user', id: 'eve' }, evesFile)).toBe(true);
    expect(await mayChange({ kind: 'user', id: 'eve' }, adasFile)).toBe(false);
    expect(await mayChange({ kind: 'user', id: 'vic' }, evesFile)).toBe(false);
  });

  it('holds an API key to what it may change when it calls: an editor key only what was uploaded through it', async () => {
    expect(await mayChange({ kind: 'api_key', id: 'adas-editor-key' }, throughAdasEditorKey)).toBe(true);
    expect(await mayChange({ kind: 'api_key', id: 'adas-editor-key' }, adasFile)).toBe(false);
    expect(await mayChange({ kind: 'api_key', id: 'adas-admin-key' }, evesFile)).toBe(true);
    // An admin key of a user since demoted acts as an editor key.
    expect(await mayChange({ kind: 'api_key', id: 'demoteds-admin-key' }, evesFile)).toBe(false);
  });

  it('starts nothing for a saver that may no longer act: disabled, deleted, revoked or of another tenant', async () => {
    expect(await mayChange({ kind: 'user', id: 'dan' }, { ownerId: 'dan', apiKeyId: null })).toBe(false);
    expect(await mayChange({ kind: 'user', id: 'gone' }, adasFile)).toBe(false);
    expect(await mayChange({ kind: 'api_key', id: 'revoked-key' }, adasFile)).toBe(false);
    expect(await mayChange({ kind: 'user', id: 'oz' }, adasFile)).toBe(false);
  });
});
