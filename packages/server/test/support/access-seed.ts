/**
 * The accounts and files the access suites act on: tenant `default` with an admin, an
 * editor, a second editor and a viewer; tenant `acme` with an editor and an admin. The
 * default editor and the admin each upload one file over HTTP, so each owns one; the admin's
 * file gets a derivative (`note.txt`) from {@link noteProcessor}.
 *
 * @module
 */
import type { Processor, Role } from '@fileforge/core';
import type { Principal } from '../../src/auth/principal.js';
import { type AccessServer, bearer, login, uploadForm } from './access-server.js';

/** The password of every seeded account. */
export const PASSWORD = 'correct horse battery staple';

/** Name of the derivative {@link noteProcessor} attaches. */
export const NOTE_DERIVATIVE = 'note.txt';

/** The bytes of the admin's seeded file. */
export const ADMIN_FILE_CONTENT = 'written by the admin';

/** Files whose name starts with this get a {@link NOTE_DERIVATIVE}. */
export const NOTED_PREFIX = 'noted-';

/** A processor that attaches a small text derivative, so derivative routes have something to serve. */
export const noteProcessor: Processor = {
  name: 'access-note',
  accepts: (record) => record.name.startsWith(NOTED_PREFIX),
  async process(_file, context) {
    await context.addDerivative({
      name: NOTE_DERIVATIVE,
      kind: 'preview',
      mime: 'text/plain',
      content: Buffer.from('a note'),
    });
    return {};
  },
};

/** A seeded account with a fresh access token. */
export interface SeededAccount {
  id: string;
  email: string;
  role: Role;
  tenant: string;
  accessToken: string;
  principal: Principal;
}

/** The seeded accounts by name. */
export type AccountName =
  | 'admin'
  | 'editor'
  | 'secondEditor'
  | 'viewer'
  | 'otherTenantEditor'
  | 'otherTenantAdmin';

const ACCOUNTS: Record<AccountName, { role: Role; tenant: string }> = {
  admin: { role: 'admin', tenant: 'default' },
  editor: { role: 'editor', tenant: 'default' },
  secondEditor: { role: 'editor', tenant: 'default' },
  viewer: { role: 'viewer', tenant: 'default' },
  otherTenantEditor: { role: 'editor', tenant: 'acme' },
  otherTenantAdmin: { role: 'admin', tenant: 'acme' },
};

/** API keys the default admin made: a key is its own principal for ownership (issue 7). */
export type KeyName = 'adminsEditorKey' | 'adminsAdminKey';

const KEYS: Record<KeyName, Role> = { adminsEditorKey: 'editor', adminsAdminKey: 'admin' };

/** A seeded API key: its id and the secret to present. */
export interface SeededKey {
  id: string;
  key: string;
}

/** What {@link seedAccess} created. */
export interface Seed {
  accounts: Record<AccountName, SeededAccount>;
  /** Keys created by the default admin, by name. */
  keys: Record<KeyName, SeededKey>;
  /** Uploaded by the default editor (owned by them). */
  editorFile: { id: string };
  /** Uploaded by the admin; has the {@link NOTE_DERIVATIVE}. */
  adminFile: { id: string };
}

/** Uploads one text file over HTTP as `accessToken`; returns the stored record. */
export async function uploadAs(url: string, accessToken: string, name: string, content: string) {
  const res = await fetch(`${url}/api/v1/files`, {
    method: 'POST',
    headers: bearer(accessToken),
    body: uploadForm(name, content),
  });
  if (res.status !== 201) throw new Error(`upload of ${name} answered ${res.status}: ${await res.text()}`);
  const { files } = (await res.json()) as { files: { id: string; ownerId: string | null }[] };
  return files[0]!;
}

/** Creates the accounts (start the forge with {@link noteProcessor}) and uploads the two files. */
export async function seedAccess({ url, forge, server }: AccessServer): Promise<Seed> {
  const entries = await Promise.all(
    Object.entries(ACCOUNTS).map(async ([name, { role, tenant }]) => {
      const email = `${name.toLowerCase()}@${tenant}.example`;
      const user = await server.auth.createUser({ email, password: PASSWORD, role, tenant });
      const { accessToken } = await login(url, email, PASSWORD);
      const principal: Principal = { kind: 'user', id: user.id, userId: user.id, tenant, role };
      return [name, { id: user.id, email, role, tenant, accessToken, principal }] as const;
    }),
  );
  const accounts = Object.fromEntries(entries) as Record<AccountName, SeededAccount>;
  const keyEntries = await Promise.all(
    Object.entries(KEYS).map(async ([name, role]) => {
      const { id, key } = await server.auth.createApiKey(accounts.admin.principal, { name, role });
      return [name, { id, key }] as const;
    }),
  );
  const keys = Object.fromEntries(keyEntries) as Record<KeyName, SeededKey>;
  const editorFile = await uploadAs(
    url,
    accounts.editor.accessToken,
    'editor-notes.txt',
    'written by the editor',
  );
  const adminFile = await uploadAs(
    url,
    accounts.admin.accessToken,
    `${NOTED_PREFIX}admin.txt`,
    ADMIN_FILE_CONTENT,
  );

  const deadline = Date.now() + 20_000;
  while ((await forge.files.derivatives(adminFile.id, { tenant: 'default' })).length === 0) {
    if (Date.now() > deadline)
      throw new Error(`the admin's file never got its ${NOTE_DERIVATIVE} derivative`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { accounts, keys, editorFile, adminFile };
}
