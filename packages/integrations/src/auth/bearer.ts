import type { AuthStrategy } from './types.js';

/**
 * A static bearer token (Slack's `xoxb-…` bot token): `Authorization: Bearer <token>`. A 401
 * cannot be cured by asking again, so `invalidate` says no.
 *
 * @example
 * ```ts
 * const auth = createBearerAuth(credentials.botToken);
 * ```
 */
export function createBearerAuth(token: string): AuthStrategy {
  const headers = Object.freeze({ authorization: `Bearer ${token}` });
  return {
    kind: 'bearer',
    authorize: async () => ({ ...headers }),
    invalidate: () => false,
  };
}
