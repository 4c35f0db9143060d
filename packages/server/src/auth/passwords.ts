import bcrypt from 'bcryptjs';

/** Password policy: bcrypt reads at most 72 bytes, so longer passwords are refused rather than silently cut. */
export const PASSWORD_RULE = { minChars: 8, maxBytes: 72 } as const;

/** Hashing and checking passwords with bcrypt. */
export interface Passwords {
  hash(password: string): Promise<string>;
  /** Checks a password; with no hash (unknown user) it still spends the time of a real check. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

/** Creates the password hasher at `rounds` (BCRYPT_ROUNDS, default 12). */
export function createPasswords(rounds: number): Passwords {
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => bcrypt.hash(password, rounds),
    async verify(password, hash) {
      // Comparing against a real hash of the same cost when the email is unknown makes a
      // failed login take as long as a wrong password: timing does not reveal which emails exist.
      dummy ??= bcrypt.hash('fileforge-dummy-password', rounds);
      const ok = await bcrypt.compare(password, hash ?? (await dummy));
      return hash !== undefined && ok;
    },
  };
}
