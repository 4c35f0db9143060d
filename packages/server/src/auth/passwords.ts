/**
 * Password hashing with the native `bcrypt` package: each hash runs on libuv's thread pool,
 * never on the event loop, so a flood of logins does not stall other requests. Hashes are
 * `$2b$` and hashes written earlier by bcryptjs (`$2a$`/`$2b$`) verify unchanged. How many
 * run at once is bounded by {@link HashSlots}.
 *
 * @module
 */
import bcrypt from 'bcrypt';
import type { HashSlots } from './hash-slots.js';

/** Password policy: bcrypt reads at most 72 bytes, so longer passwords are refused rather than silently cut. */
export const PASSWORD_RULE = { minChars: 8, maxBytes: 72 } as const;

/** True when bcrypt would read all of the password (at most {@link PASSWORD_RULE.maxBytes} bytes). */
export const fitsBcrypt = (password: string) => Buffer.byteLength(password) <= PASSWORD_RULE.maxBytes;

/** Hashing and checking passwords with bcrypt. */
export interface Passwords {
  /** Hashes a password (the caller checks the policy first). Throws `BUSY` when the bound is full. */
  hash(password: string): Promise<string>;
  /**
   * Checks a password against each hash, one after the other inside a single slot of the
   * bound (one login is one unit of hashing work, however many accounts share its email).
   * With no hashes (unknown user) it still spends the time of one real check; a password
   * over 72 bytes never matches and never reaches bcrypt (which would cut it), but costs the
   * same time. Throws `BUSY` when the bound is full.
   */
  verify(password: string, hashes: readonly string[]): Promise<boolean[]>;
}

/** Options for {@link createPasswords}. */
export interface PasswordsOptions {
  /** bcrypt cost (BCRYPT_ROUNDS). */
  rounds: number;
  /** The bound on hashes in flight; every hash and check runs inside it. */
  slots: HashSlots;
}

/** Stands in for the password when the real one cannot be checked (unknown user, too long). */
const DUMMY_PASSWORD = 'fileforge-dummy-password';

/** Creates the password hasher. */
export function createPasswords({ rounds, slots }: PasswordsOptions): Passwords {
  // A salt of the same cost plus any 31 characters is a well-formed hash that matches nothing;
  // comparing against it costs exactly what a real check costs.
  let dummy: Promise<string> | undefined;
  const dummyHash = () => {
    dummy ??= bcrypt.genSalt(rounds).then((salt) => `${salt}${'.'.repeat(31)}`);
    return dummy;
  };
  return {
    hash: (password) => slots.run(() => bcrypt.hash(password, rounds)),
    async verify(password, hashes) {
      // Timing must not reveal which emails exist or that a password was too long.
      if (hashes.length === 0 || !fitsBcrypt(password)) {
        const against = await dummyHash();
        await slots.run(async () => {
          for (let i = 0; i < Math.max(1, hashes.length); i++) await bcrypt.compare(DUMMY_PASSWORD, against);
        });
        return hashes.map(() => false);
      }
      return slots.run(async () => {
        const results: boolean[] = [];
        for (const hash of hashes) results.push(await bcrypt.compare(password, hash));
        return results;
      });
    },
  };
}
