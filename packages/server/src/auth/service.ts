/**
 * Accounts and credentials: login, refresh-token rotation, API keys, and turning a presented
 * credential into a {@link Principal}. Only hashes of secrets are stored; secrets are shown
 * once, at creation.
 *
 * @module
 */
import {
  type Catalog,
  createId,
  ErrorCode,
  FileForgeError,
  type Role,
  type UserRecord,
  weakerRole,
} from '@fileforge/core';
import type { AccessTokens } from './access-tokens.js';
import { createHashSlots, type HashSlotsOptions } from './hash-slots.js';
import { createLoginCheck } from './login.js';
import { createLoginThrottle, type LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
import { hashSecret, mintToken, parseToken, sameHash } from './opaque-tokens.js';
import { createPasswords, fitsBcrypt, PASSWORD_RULE } from './passwords.js';
import type { Principal } from './principal.js';

/** Options for {@link createAuthService}. */
export interface AuthServiceOptions {
  catalog: Catalog;
  tokens: AccessTokens;
  /** @default 12 */
  bcryptRounds?: number;
  /** Refresh token lifetime in seconds. @default 1209600 (14 days) */
  refreshTtlSeconds?: number;
  /**
   * How long a rotated refresh token may still be presented by the same login without being
   * taken for a copy: two tabs of one browser, or a retried request, refresh with the same token
   * at once. Within it a second use gets a session of its own in the same login; after it, a
   * use revokes the whole login. `0`: every second use revokes. @default 10
   */
  refreshReuseGraceSeconds?: number;
  /** The bound on password hashes in flight (beyond it: 503 `BUSY`). */
  passwordHashing?: HashSlotsOptions;
  /**
   * Per-account back-off after failed logins (429 `RATE_LIMITED`); `false` turns it off (only
   * for benchmarks and tests). Its clock defaults to `now`. A throttle built by the caller
   * (e.g. on Redis) is used as it is; the caller closes it.
   */
  loginThrottle?: LoginThrottleOptions | LoginThrottle | false;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** Options of {@link AuthService.login}. */
export interface LoginOptions {
  /** The tenant (slug) whose account to open; needed only when the password opens several. */
  tenant?: string;
}

/** What a successful login or refresh returns. */
export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  user: PublicUser;
}

/** A user as the API shows it. */
export type PublicUser = Omit<UserRecord, 'passwordHash' | 'tokenVersion'>;

/** Input for {@link AuthService.createUser}. */
export interface NewUser {
  email: string;
  password: string;
  role: Role;
  tenant: string;
}

const unauthenticated = (message: string, reason = 'invalid_credentials') =>
  new FileForgeError(ErrorCode.UNAUTHENTICATED, message, { details: { reason } });

/** A user as the API shows it: no password hash, no token version. */
export const publicUser = ({
  passwordHash: _hash,
  tokenVersion: _version,
  ...user
}: UserRecord): PublicUser => user;

function checkPassword(password: string): void {
  if (password.length < PASSWORD_RULE.minChars || !fitsBcrypt(password)) {
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, 'Passwords need 8 to 72 bytes', {
      details: {
        fields: [{ path: 'password', message: `between ${PASSWORD_RULE.minChars} characters and 72 bytes` }],
      },
    });
  }
}

/** Creates the auth service over the catalog's account store. */
export function createAuthService(options: AuthServiceOptions) {
  const { catalog, tokens } = options;
  const accounts = catalog.accounts;
  const now = options.now ?? Date.now;
  const passwords = createPasswords({
    rounds: options.bcryptRounds ?? 12,
    slots: createHashSlots(options.passwordHashing),
  });
  const throttle: LoginThrottle | undefined =
    options.loginThrottle === false
      ? undefined
      : options.loginThrottle && 'begin' in options.loginThrottle
        ? options.loginThrottle
        : createLoginThrottle({ now, ...options.loginThrottle });
  const checkLogin = createLoginCheck({ accounts, passwords, ...(throttle ? { throttle } : {}) });
  const refreshTtl = options.refreshTtlSeconds ?? 14 * 24 * 3600;
  const reuseGraceMs = (options.refreshReuseGraceSeconds ?? 10) * 1000;
  /** A token rotated moments ago by its own login (not revoked since): a concurrent use, not a copy. */
  const justRotated = (record: { usedAt: string | null; revokedAt: string | null }) =>
    record.revokedAt === null && record.usedAt !== null && now() - Date.parse(record.usedAt) <= reuseGraceMs;
  const iso = (ms = now()) => new Date(ms).toISOString();

  /**
   * Mints a session for `user` as read when the login or refresh was checked; `spentId` is the
   * refresh token a refresh spent. A logout, password change, disabling or deletion that
   * committed meanwhile revoked every token that existed then, but not the one minted here
   * after it: so look again once it exists (anything later revokes it with the rest).
   */
  async function openSession(user: UserRecord, familyId: string, spentId?: string): Promise<Session> {
    const refresh = mintToken('rt');
    await accounts.createRefreshToken({
      id: refresh.id,
      userId: user.id,
      familyId,
      secretHash: hashSecret(refresh.secret),
      expiresAt: iso(now() + refreshTtl * 1000),
      usedAt: null,
      revokedAt: null,
      createdAt: iso(),
    });
    const [current, spent] = await Promise.all([
      accounts.getUser(user.id),
      spentId === undefined ? undefined : accounts.getRefreshToken(spentId),
    ]);
    if (
      !current ||
      current.disabled ||
      current.passwordHash !== user.passwordHash ||
      spent === null ||
      (spent && spent.revokedAt !== null)
    ) {
      await accounts.revokeRefreshFamily(familyId, iso());
      throw unauthenticated('The session ended while it was being opened', 'invalid_token');
    }
    const access = await tokens.sign({
      sub: user.id,
      tenant: user.tenant,
      role: user.role,
      ver: user.tokenVersion,
      sid: familyId,
    });
    return {
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshToken: refresh.token,
      user: publicUser(user),
    };
  }

  const service = {
    /** Hashes a new password after checking the policy (8 characters to 72 bytes). */
    async hashPassword(password: string): Promise<string> {
      checkPassword(password);
      return passwords.hash(password);
    },

    /** True until the first user exists (the one-time setup is open). */
    async needsSetup(): Promise<boolean> {
      return (await accounts.countUsers()) === 0;
    },

    async createUser(input: NewUser, options: { first?: boolean } = {}): Promise<PublicUser> {
      checkPassword(input.password);
      const at = iso();
      const user: UserRecord = {
        id: createId(now()),
        tenant: input.tenant,
        email: input.email.trim().toLowerCase(),
        passwordHash: await passwords.hash(input.password),
        role: input.role,
        disabled: false,
        tokenVersion: 0,
        createdAt: at,
        updatedAt: at,
      };
      await (options.first ? accounts.createFirstUser(user) : accounts.createUser(user));
      return publicUser(user);
    },

    /** Creates the first admin (tenant `default`); `CONFLICT` once any user exists. */
    async setup(email: string, password: string): Promise<PublicUser> {
      if (!(await service.needsSetup()))
        throw new FileForgeError(ErrorCode.CONFLICT, 'Setup is already complete');
      return service.createUser({ email, password, role: 'admin', tenant: 'default' }, { first: true });
    },

    /**
     * Opens a session for the account an email and password open. `UNAUTHENTICATED` for
     * anything wrong (unknown email, wrong or over-long password, disabled account),
     * `TENANT_REQUIRED` when the password opens accounts in several tenants and no `tenant`
     * was given, `RATE_LIMITED` while the email is locked after failures, `BUSY` when too many
     * password checks are in flight.
     */
    async login(email: string, password: string, options: LoginOptions = {}): Promise<Session> {
      const user = await checkLogin(email, password, options.tenant);
      return openSession(user, createId(now()));
    },

    /** Exchanges a refresh token for a new session; a spent token revokes its whole family. */
    async refresh(token: string): Promise<Session> {
      const parsed = parseToken('rt', token);
      const record = parsed ? await accounts.getRefreshToken(parsed.id) : null;
      if (!parsed || !record || !sameHash(record.secretHash, hashSecret(parsed.secret))) {
        throw unauthenticated('Invalid refresh token', 'invalid_token');
      }
      if (record.usedAt || record.revokedAt) {
        // Reuse of a rotated token means it was copied (end every session of that login) —
        // unless its own login rotated it moments ago: tabs refreshing together.
        if (!justRotated(record)) {
          await accounts.revokeRefreshFamily(record.familyId, iso());
          throw unauthenticated('Refresh token already used', 'invalid_token');
        }
      } else if (Date.parse(record.expiresAt) <= now()) {
        throw unauthenticated('Refresh token expired', 'invalid_token');
      } else if (!(await accounts.markRefreshTokenUsed(record.id, iso()))) {
        // Lost a race with another use of the same token: as a second use.
        const current = await accounts.getRefreshToken(record.id);
        if (!current || !justRotated(current)) {
          await accounts.revokeRefreshFamily(record.familyId, iso());
          throw unauthenticated('Refresh token already used', 'invalid_token');
        }
      }
      const user = await accounts.getUser(record.userId);
      if (!user || user.disabled) throw unauthenticated('Account disabled', 'invalid_token');
      return openSession(user, record.familyId, record.id);
    },

    /**
     * Changes a user's own password after checking the current one. Every session of the
     * account ends (its refresh tokens are revoked) and a fresh one is returned for the caller.
     * A wrong current password is `VALIDATION_FAILED` on `currentPassword` (not 401: the
     * caller's session is fine); the check shares the bound on hashes in flight (`BUSY`) and
     * the login's lock-out (`RATE_LIMITED`): wrong current passwords count as wrong logins of
     * the account's email, so this is no way around it.
     */
    async changePassword(userId: string, current: string, next: string): Promise<Session> {
      const user = await accounts.getUser(userId);
      if (!user || user.disabled) throw unauthenticated('Account disabled', 'invalid_token');
      const attempt = await throttle?.begin(user.email.trim().toLowerCase());
      try {
        const [matches] = await passwords.verify(current, [user.passwordHash]);
        if (!matches) {
          await attempt?.failed();
          throw new FileForgeError(ErrorCode.VALIDATION_FAILED, 'The current password is not right', {
            details: {
              fields: [{ path: 'currentPassword', message: 'does not match this account’s password' }],
            },
          });
        }
        await attempt?.succeeded();
      } finally {
        attempt?.abandoned();
      }
      const passwordHash = await service.hashPassword(next);
      await accounts.updateUser(user.id, { passwordHash });
      await accounts.revokeUserRefreshTokens(user.id, iso());
      // Re-read: the change bumped the token version, which the new access token must carry.
      const changed = await accounts.getUser(user.id);
      if (!changed) throw unauthenticated('Account deleted', 'invalid_token');
      return openSession(changed, createId(now()));
    },

    /** Revokes the login a refresh token belongs to. Unknown tokens are ignored. */
    async logout(token: string): Promise<void> {
      const parsed = parseToken('rt', token);
      const record = parsed ? await accounts.getRefreshToken(parsed.id) : null;
      if (parsed && record && sameHash(record.secretHash, hashSecret(parsed.secret))) {
        await accounts.revokeRefreshFamily(record.familyId, iso());
      }
    },

    /** Creates an API key; the returned `key` is the only time the secret is ever shown. */
    async createApiKey(owner: Principal, input: { name: string; role: Role }) {
      const minted = mintToken('ff');
      const record = {
        id: minted.id,
        tenant: owner.tenant,
        name: input.name,
        role: input.role,
        userId: owner.userId,
        secretHash: hashSecret(minted.secret),
        createdAt: iso(),
        lastUsedAt: null,
        revokedAt: null,
      };
      await accounts.createApiKey(record);
      const { secretHash: _hash, ...visible } = record;
      return { ...visible, key: minted.token };
    },

    /** Resolves `Authorization: Bearer <jwt | ff_…>` to a principal, or throws `UNAUTHENTICATED`. */
    async authenticate(credential: string): Promise<Principal> {
      if (credential.startsWith('ff_')) {
        const parsed = parseToken('ff', credential);
        const key = parsed ? await accounts.getApiKey(parsed.id) : null;
        if (!parsed || !key || !sameHash(key.secretHash, hashSecret(parsed.secret)) || key.revokedAt) {
          throw unauthenticated('Invalid API key', 'invalid_token');
        }
        const owner = await accounts.getUser(key.userId);
        if (!owner || owner.disabled || owner.tenant !== key.tenant) {
          throw unauthenticated('Invalid API key', 'invalid_token');
        }
        await accounts.updateApiKey(key.id, { lastUsedAt: iso() });
        // A key never does more than its owner may do now (an admin demoted keeps no admin keys).
        const role = weakerRole(key.role, owner.role);
        return { kind: 'api_key', id: key.id, userId: key.userId, tenant: key.tenant, role };
      }
      const claims = await tokens.verify(credential);
      const [user, open] = await Promise.all([
        accounts.getUser(claims.sub),
        claims.sid === undefined ? true : accounts.refreshFamilyOpen(claims.sid),
      ]);
      if (!user || user.disabled || user.tenant !== claims.tenant)
        throw unauthenticated('Account disabled', 'invalid_token');
      // A password, role or disabled-flag change since the token was minted revokes it.
      if (user.tokenVersion !== claims.ver) throw unauthenticated('Access token revoked', 'invalid_token');
      // So does the end of its login: a logout, or a spent refresh token presented again.
      if (!open) throw unauthenticated('Session ended', 'invalid_token');
      return {
        kind: 'user',
        id: user.id,
        userId: user.id,
        tenant: user.tenant,
        role: user.role,
        tokenVersion: user.tokenVersion,
        ...(claims.sid === undefined ? {} : { sessionId: claims.sid }),
      };
    },

    /**
     * Whether `principal` would still be let in now: its key not revoked, its account (or the
     * key's owner) still there, enabled and in its tenant, and a user's token not revoked by a
     * password, role or disabled-flag change or by the end of its login. For what outlives one
     * request (a live event stream); the token's expiry is not looked at.
     */
    async stillValid(principal: Principal): Promise<boolean> {
      if (principal.kind === 'api_key') {
        const key = await accounts.getApiKey(principal.id);
        if (!key || key.revokedAt) return false;
      }
      if (principal.sessionId !== undefined && !(await accounts.refreshFamilyOpen(principal.sessionId)))
        return false;
      const user = await accounts.getUser(principal.userId);
      if (!user || user.disabled || user.tenant !== principal.tenant) return false;
      return principal.tokenVersion === undefined || user.tokenVersion === principal.tokenVersion;
    },
  };
  return service;
}

/** The auth service's type. */
export type AuthService = ReturnType<typeof createAuthService>;
