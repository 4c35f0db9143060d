import type { AuthStrategy } from './types.js';

/** Options for {@link createBasicAuth}. */
export interface BasicAuthOptions {
  username: string;
  password: string;
}

/**
 * HTTP Basic auth (SAP communication users): `Authorization: Basic base64(user:password)`.
 *
 * @example
 * ```ts
 * const auth = createBasicAuth({ username: 'COMM_USER', password: credentials.password });
 * ```
 */
export function createBasicAuth({ username, password }: BasicAuthOptions): AuthStrategy {
  const value = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  return {
    kind: 'basic',
    authorize: async () => ({ authorization: value }),
    invalidate: () => false,
  };
}
