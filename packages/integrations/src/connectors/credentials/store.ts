/**
 * Per tenant and connector credentials in the catalog (table `connector_credentials`),
 * sealed by the {@link CredentialCipher}. Reads that only say what is set (`describe`, `list`)
 * never decrypt.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { CredentialCipher } from './cipher.js';

interface CredentialsTable {
  tenant: string;
  slug: string;
  key_id: string;
  sealed: string;
  fields: string;
  connected_at: string;
  updated_at: string;
}

/** The tables this store reads. */
export interface ConnectorTables {
  connector_credentials: CredentialsTable;
}

/** What is stored for a connector, without any value. */
export interface StoredCredentialsInfo {
  slug: string;
  /** Names of the fields that are set. */
  fields: string[];
  /** Id of the key that sealed them. */
  keyId: string;
  connectedAt: string;
  updatedAt: string;
}

/** Reads and writes sealed credentials. */
export interface CredentialStore {
  /** Stores (or replaces) a connector's credentials; `fields` are the names set. */
  put(tenant: string, slug: string, credentials: Record<string, unknown>): Promise<StoredCredentialsInfo>;
  /** The decrypted credentials, or `null` when the connector is not connected. */
  get(tenant: string, slug: string): Promise<Record<string, unknown> | null>;
  /** What is stored, without values, or `null`. */
  describe(tenant: string, slug: string): Promise<StoredCredentialsInfo | null>;
  /** Every connected connector of a tenant, without values. */
  list(tenant: string): Promise<StoredCredentialsInfo[]>;
  /** Removes them; false when there were none. */
  delete(tenant: string, slug: string): Promise<boolean>;
}

/** Options of {@link createCredentialStore}. */
export interface CredentialStoreOptions {
  /** The forge's catalog (`forge.catalog.db()`), migrated with `connectorMigrations`. */
  db: Kysely<ConnectorTables>;
  cipher: CredentialCipher;
  /** @default Date.now */
  now?: () => number;
}

const aadOf = (tenant: string, slug: string) => `${tenant}/${slug}`;

function info(row: Pick<CredentialsTable, 'slug' | 'fields' | 'key_id' | 'connected_at' | 'updated_at'>) {
  return {
    slug: row.slug,
    fields: JSON.parse(row.fields) as string[],
    keyId: row.key_id,
    connectedAt: row.connected_at,
    updatedAt: row.updated_at,
  };
}

/** Creates the credential store over a catalog connection. */
export function createCredentialStore({
  db,
  cipher,
  now = Date.now,
}: CredentialStoreOptions): CredentialStore {
  const infoColumns = ['slug', 'fields', 'key_id', 'connected_at', 'updated_at'] as const;
  return {
    async put(tenant, slug, credentials) {
      const at = new Date(now()).toISOString();
      const fields = Object.keys(credentials).filter(
        (k) => credentials[k] !== undefined && credentials[k] !== '',
      );
      const { keyId, sealed } = cipher.seal(JSON.stringify(credentials), aadOf(tenant, slug));
      const row = { key_id: keyId, sealed, fields: JSON.stringify(fields), updated_at: at };
      await db
        .insertInto('connector_credentials')
        .values({ tenant, slug, connected_at: at, ...row })
        .onConflict((oc) => oc.columns(['tenant', 'slug']).doUpdateSet(row))
        .execute();
      const stored = await this.describe(tenant, slug);
      return stored!;
    },
    async get(tenant, slug) {
      const row = await db
        .selectFrom('connector_credentials')
        .select(['sealed', 'key_id'])
        .where('tenant', '=', tenant)
        .where('slug', '=', slug)
        .executeTakeFirst();
      if (!row) return null;
      return JSON.parse(cipher.open(row.sealed, row.key_id, aadOf(tenant, slug))) as Record<string, unknown>;
    },
    async describe(tenant, slug) {
      const row = await db
        .selectFrom('connector_credentials')
        .select(infoColumns)
        .where('tenant', '=', tenant)
        .where('slug', '=', slug)
        .executeTakeFirst();
      return row ? info(row) : null;
    },
    async list(tenant) {
      const rows = await db
        .selectFrom('connector_credentials')
        .select(infoColumns)
        .where('tenant', '=', tenant)
        .orderBy('slug')
        .execute();
      return rows.map(info);
    },
    async delete(tenant, slug) {
      const result = await db
        .deleteFrom('connector_credentials')
        .where('tenant', '=', tenant)
        .where('slug', '=', slug)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
