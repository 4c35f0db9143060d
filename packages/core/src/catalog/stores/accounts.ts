import { type Kysely, type Selectable, sql } from 'kysely';
import { ErrorCode, FileForgeError } from '../../errors/index.js';
import type { ApiKeyRecord, RefreshTokenRecord, Role, UserRecord } from '../../model/index.js';
import type { AccountStore } from '../catalog.js';
import { isPostgres } from '../dialect.js';
import type { ApiKeysTable, CatalogDatabase, RefreshTokensTable, UsersTable } from '../schema.js';

const userFromRow = (r: Selectable<UsersTable>): UserRecord => ({
  id: r.id,
  tenant: r.tenant,
  email: r.email,
  passwordHash: r.password_hash,
  role: r.role as Role,
  disabled: Boolean(Number(r.disabled)),
  tokenVersion: Number(r.token_version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const keyFromRow = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id,
  tenant: r.tenant,
  name: r.name,
  role: r.role as Role,
  userId: r.user_id,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const tokenFromRow = (r: Selectable<RefreshTokensTable>): RefreshTokenRecord => ({
  id: r.id,
  userId: r.user_id,
  familyId: r.family_id,
  secretHash: r.secret_hash,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  revokedAt: r.revoked_at,
  createdAt: r.created_at,
});

const isUniqueViolation = (error: unknown) => /unique/i.test(String((error as Error)?.message));

/** The account queries, shared by every SQL dialect. */
export function createAccountStore(db: Kysely<CatalogDatabase>, now: () => string): AccountStore {
  const insertUser = async (trx: Kysely<CatalogDatabase>, u: UserRecord) => {
    try {
      await trx
        .insertInto('users')
        .values({
          id: u.id,
          tenant: u.tenant,
          email: u.email,
          password_hash: u.passwordHash,
          role: u.role,
          disabled: u.disabled ? 1 : 0,
          token_version: u.tokenVersion,
          created_at: u.createdAt,
          updated_at: u.updatedAt,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new FileForgeError(ErrorCode.CONFLICT, 'A user with this email already exists in this tenant', {
          cause: error,
        });
      }
      throw error;
    }
  };
  return {
    async countUsers() {
      const row = await db
        .selectFrom('users')
        .select(db.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async createUser(u) {
      await insertUser(db, u);
    },
    async createFirstUser(u) {
      await db.transaction().execute(async (trx) => {
        // PostgreSQL runs transactions side by side: without the lock two first-admin setups
        // would both find no user. SQLite's single writer serialises them by itself.
        if (isPostgres(trx)) await sql`lock table users in share row exclusive mode`.execute(trx);
        const row = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
        if (row) throw new FileForgeError(ErrorCode.CONFLICT, 'Setup is already complete');
        await insertUser(trx, u);
      });
    },
    async findUsersByEmail(email, tenant) {
      let query = db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase());
      if (tenant !== undefined) query = query.where('tenant', '=', tenant);
      return (await query.orderBy('id').execute()).map(userFromRow);
    },
    async getUser(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? userFromRow(row) : null;
    },
    async listUsers(tenant) {
      return (
        await db.selectFrom('users').selectAll().where('tenant', '=', tenant).orderBy('id').execute()
      ).map(userFromRow);
    },
    async updateUser(id, patch) {
      const revokes =
        patch.role !== undefined || patch.disabled !== undefined || patch.passwordHash !== undefined;
      await db
        .updateTable('users')
        .set({
          updated_at: now(),
          ...(revokes ? { token_version: sql<number>`token_version + 1` } : {}),
          ...(patch.role === undefined ? {} : { role: patch.role }),
          ...(patch.disabled === undefined ? {} : { disabled: patch.disabled ? 1 : 0 }),
          ...(patch.passwordHash === undefined ? {} : { password_hash: patch.passwordHash }),
        })
        .where('id', '=', id)
        .execute();
    },
    async deleteUser(id) {
      await db.deleteFrom('users').where('id', '=', id).execute();
    },
    async createApiKey(k) {
      await db
        .insertInto('api_keys')
        .values({
          id: k.id,
          tenant: k.tenant,
          name: k.name,
          role: k.role,
          user_id: k.userId,
          secret_hash: k.secretHash,
          created_at: k.createdAt,
          last_used_at: k.lastUsedAt,
          revoked_at: k.revokedAt,
        })
        .execute();
    },
    async getApiKey(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? keyFromRow(row) : null;
    },
    async listApiKeys(tenant) {
      return (
        await db.selectFrom('api_keys').selectAll().where('tenant', '=', tenant).orderBy('id').execute()
      ).map(keyFromRow);
    },
    async updateApiKey(id, patch) {
      await db
        .updateTable('api_keys')
        .set({
          ...(patch.lastUsedAt === undefined ? {} : { last_used_at: patch.lastUsedAt }),
          ...(patch.revokedAt === undefined ? {} : { revoked_at: patch.revokedAt }),
        })
        .where('id', '=', id)
        .execute();
    },
    async createRefreshToken(t) {
      await db
        .insertInto('refresh_tokens')
        .values({
          id: t.id,
          user_id: t.userId,
          family_id: t.familyId,
          secret_hash: t.secretHash,
          expires_at: t.expiresAt,
          used_at: t.usedAt,
          revoked_at: t.revokedAt,
          created_at: t.createdAt,
        })
        .execute();
    },
    async getRefreshToken(id) {
      const row = await db.selectFrom('refresh_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? tokenFromRow(row) : null;
    },
    async markRefreshTokenUsed(id, at) {
      const result = await db
        .updateTable('refresh_tokens')
        .set({ used_at: at })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async revokeRefreshFamily(familyId, at) {
      await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: at })
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async refreshFamilyOpen(familyId) {
      const row = await db
        .selectFrom('refresh_tokens')
        .select('id')
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
    async revokeUserRefreshTokens(userId, at) {
      await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: at })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
    },
  };
}
