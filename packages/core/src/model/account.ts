/** What a role may do inside its tenant. */
export type Role = 'admin' | 'editor' | 'viewer';

/** All roles, strongest first. */
export const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];

/** A person who logs in. */
export interface UserRecord {
  id: string;
  tenant: string;
  /** Lower-cased; unique within the tenant (the same address may hold accounts in several tenants). */
  email: string;
  /** bcrypt hash; never leaves the server. */
  passwordHash: string;
  role: Role;
  disabled: boolean;
  /**
   * Carried in access tokens and compared on every request; the catalog bumps it whenever the
   * password, role or disabled flag changes, so tokens minted before stop working at once.
   */
  tokenVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** A machine credential: `ff_<id>_<secret>`, of which only a hash of the secret is stored. */
export interface ApiKeyRecord {
  id: string;
  tenant: string;
  name: string;
  role: Role;
  /** The user who created it; files uploaded with the key are owned by this user. */
  userId: string;
  /** Hex SHA-256 of the secret part. */
  secretHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An opaque, single-use refresh token (stored hashed), rotated within a family. */
export interface RefreshTokenRecord {
  id: string;
  userId: string;
  /** All tokens rotated from one login share a family; reuse of a spent token revokes it. */
  familyId: string;
  secretHash: string;
  expiresAt: string;
  /** Set when the token was exchanged for a new one. */
  usedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}
