import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: fsck reads core tables through the catalog's untyped handle
type Db = Kysely<any>;

/** Every blob key a file or derivative record points at. */
export async function referencedKeys(db: Db): Promise<Set<string>> {
  const files = await db.selectFrom('files').select('blob_key').distinct().execute();
  const derivatives = await db.selectFrom('derivatives').select('blob_key').distinct().execute();
  return new Set([...files, ...derivatives].map((r) => r.blob_key as string));
}

/** Whether any record points at `key` now (checked again right before a blob is removed). */
export async function isReferenced(db: Db, key: string): Promise<boolean> {
  const file = await db
    .selectFrom('files')
    .select('id')
    .where('blob_key', '=', key)
    .limit(1)
    .executeTakeFirst();
  if (file) return true;
  const derivative = await db
    .selectFrom('derivatives')
    .select('file_id')
    .where('blob_key', '=', key)
    .limit(1)
    .executeTakeFirst();
  return derivative !== undefined;
}
