import type { Role } from '@fileforge/core';

/** Who is calling: a logged-in user or an API key, always inside one tenant. */
export interface Principal {
  kind: 'user' | 'api_key';
  /** User id, or API key id. */
  id: string;
  /** The user behind the call (for an API key, the user who created it); owns what it uploads. */
  userId: string;
  tenant: string;
  role: Role;
  /**
   * The account's token version the access token was minted at (users from a token only):
   * a password, role or disabled-flag change since then has revoked it.
   */
  tokenVersion?: number;
  /** The login the access token belongs to (users from a token only): ending it revokes the token. */
  sessionId?: string;
}
