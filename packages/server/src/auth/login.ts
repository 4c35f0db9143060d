/**
 * Checking a login: which account an email and password open.
 *
 * Emails are unique per tenant, so one address may hold accounts in several tenants. With a
 * `tenant`, only that tenant's account is considered. Without one, the password is checked
 * against every account with that email and the one it matches is used; when it matches
 * several, the caller must choose: `TENANT_REQUIRED` lists only the tenants whose account the
 * password opened, which tells nothing to someone without the password. Wrong passwords,
 * unknown emails, unknown tenants, disabled accounts and passwords over 72 bytes all get the
 * same `UNAUTHENTICATED` answer after the same work, and all count towards the per-account
 * back-off of {@link LoginThrottle}.
 *
 * @module
 */
import { type AccountStore, ErrorCode, FileForgeError, type UserRecord } from '@fileforge/core';
import type { LoginThrottle } from './login-throttle.js';
import type { Passwords } from './passwords.js';

/** What {@link createLoginCheck} needs. */
export interface LoginCheckOptions {
  accounts: AccountStore;
  passwords: Passwords;
  /** Per-account back-off; none when absent. */
  throttle?: LoginThrottle;
}

/** Resolves an email and password (and optionally a tenant) to the account they open. */
export type LoginCheck = (email: string, password: string, tenant?: string) => Promise<UserRecord>;

const wrongCredentials = () =>
  new FileForgeError(ErrorCode.UNAUTHENTICATED, 'Wrong email or password', {
    details: { reason: 'invalid_credentials' },
  });

/** Creates the login check over the account store. */
export function createLoginCheck({ accounts, passwords, throttle }: LoginCheckOptions): LoginCheck {
  return async (email, password, tenant) => {
    const name = email.trim().toLowerCase();
    // Throws RATE_LIMITED while the name is locked: no password is checked then.
    const attempt = await throttle?.begin(name);
    try {
      const candidates = await accounts.findUsersByEmail(name, tenant);
      const matches = await passwords.verify(
        password,
        candidates.map((user) => user.passwordHash),
      );
      const opened = candidates.filter((user, i) => matches[i] && !user.disabled);
      if (opened.length === 0) {
        await attempt?.failed();
        throw wrongCredentials();
      }
      await attempt?.succeeded();
      if (opened.length > 1) {
        throw new FileForgeError(
          ErrorCode.TENANT_REQUIRED,
          'This email and password open accounts in several tenants: log in again with one of them as "tenant"',
          { details: { tenants: opened.map((user) => user.tenant).sort() } },
        );
      }
      return opened[0]!;
    } finally {
      // Busy or failing catalog: no verdict, so the attempt counts for nothing (a no-op once settled).
      attempt?.abandoned();
    }
  };
}
