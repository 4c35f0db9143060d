import { parseArgs } from 'node:util';
import {
  type Catalog,
  ErrorCode,
  FileForgeError,
  openCatalog,
  type Role,
  type UserRecord,
} from '@fileforge/core';
import { createAccessTokens } from '../auth/access-tokens.js';
import { type AuthService, createAuthService, type PublicUser } from '../auth/service.js';
import { createLogger } from '../logger.js';
import { userTarget } from '../middleware/audit.js';
import { resolveSecrets } from '../secrets.js';
import { recordCliAudit } from './cli-audit.js';
import { loadCliConfig } from './cli-config.js';
import { readPassword } from './password-prompt.js';

/** `fileforge users --help`. */
export const USERS_USAGE = `Usage: fileforge users <command> --email <email> [--tenant <name>] [--json]
  create   --email <email> [--admin | --role admin|editor|viewer]   create a user
  password --email <email>                 set a new password (signs the user out everywhere)
  role     --email <email> --role admin|editor|viewer   change the role
  disable  --email <email>                 refuse the user's logins and tokens (signs them out)
  enable   --email <email>                 allow them again
  --tenant defaults to "default". Passwords are read from FILEFORGE_PASSWORD, else typed at
  the terminal (never shown; asked twice), else from the first line of piped standard input.
  --json   print {"action","user":{"id","email","tenant","role"}} instead of a sentence
  Works whether or not the server is running. Each change is
  recorded in the audit trail like the same change through the API (user.create, user.password,
  user.update), with the operating-system user as actor (cli).
Exit codes: 0 done, 1 refused (unknown user, taken email, weak password), 2 usage error.
`;

const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];
const COMMANDS = ['create', 'password', 'role', 'disable', 'enable'] as const;
type UsersCommand = (typeof COMMANDS)[number];

/** What a subcommand changed, for the output line and the audit entry. */
interface Change {
  user: Pick<PublicUser, 'id' | 'email' | 'tenant' | 'role'>;
  line: string;
  action: 'user.create' | 'user.password' | 'user.update';
  details: Record<string, unknown>;
}

/**
 * `fileforge users <create|password|role|disable|enable>`: changes users directly in the
 * catalog, whether or not the server is running, with the same rules as the API (password
 * policy; a new password or disabling revokes the user's refresh tokens) and the same audit
 * entries, the local operator as actor. `--admin` is short for `--role admin`.
 */
export async function runUsers(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      admin: { type: 'boolean', default: false },
      role: { type: 'string' },
      tenant: { type: 'string', default: 'default' },
      json: { type: 'boolean', default: false },
    },
  });
  const command = positionals[0] as UsersCommand | undefined;
  if (!command || !COMMANDS.includes(command) || positionals.length > 1 || !values.email) {
    process.stderr.write(USERS_USAGE);
    return 2;
  }
  const role = (values.admin ? 'admin' : values.role) as Role | undefined;
  if (role !== undefined && !ROLES.includes(role)) {
    process.stderr.write(`fileforge users: unknown role "${role}"\n`);
    return 2;
  }
  if (command === 'role' && !role) {
    process.stderr.write(`fileforge users role: give --role admin|editor|viewer\n\n${USERS_USAGE}`);
    return 2;
  }
  const config = loadCliConfig();
  const catalog = await openCatalog(config.databaseUrl);
  const secrets = await resolveSecrets(config, createLogger(config.logLevel, { stderr: true }));
  let change: Change;
  try {
    await catalog.migrate();
    const tokens = await createAccessTokens({ secret: secrets.jwtSecretKey });
    const auth = createAuthService({ catalog, tokens, bcryptRounds: config.env.BCRYPT_ROUNDS });
    const target = { email: values.email, tenant: values.tenant! };
    change =
      command === 'create'
        ? await create(auth, { ...target, role: role ?? 'viewer' })
        : await update(catalog, auth, command, await findUser(catalog, target), role);
  } finally {
    await catalog.close();
  }
  const { id, email, tenant, role: newRole } = change.user;
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ action: change.action, user: { id, email, tenant, role: newRole } })}\n`
      : `${change.line}\n`,
  );
  await recordCliAudit(config.databaseUrl, {
    tenant: change.user.tenant,
    action: change.action,
    target: userTarget(change.user),
    details: change.details,
  });
  return 0;
}

async function create(
  auth: AuthService,
  input: { email: string; tenant: string; role: Role },
): Promise<Change> {
  const user = await auth.createUser({ ...input, password: await readPassword({ confirm: true }) });
  return {
    user,
    line: `created ${user.role} ${user.email} (tenant ${user.tenant}, id ${user.id})`,
    action: 'user.create',
    details: { role: user.role },
  };
}

/** The user of this email in this tenant; `NOT_FOUND` (exit 1) when there is none. */
async function findUser(
  catalog: Catalog,
  { email, tenant }: { email: string; tenant: string },
): Promise<UserRecord> {
  const [user] = await catalog.accounts.findUsersByEmail(email.trim().toLowerCase(), tenant);
  if (!user)
    throw new FileForgeError(ErrorCode.NOT_FOUND, `fileforge users: no user ${email} in tenant ${tenant}`);
  return user;
}

async function update(
  catalog: Catalog,
  auth: AuthService,
  command: Exclude<UsersCommand, 'create'>,
  user: UserRecord,
  role: Role | undefined,
): Promise<Change> {
  const accounts = catalog.accounts;
  const signOut = () => accounts.revokeUserRefreshTokens(user.id, new Date().toISOString());
  const of = `${user.email} (tenant ${user.tenant}, id ${user.id})`;
  switch (command) {
    case 'password':
      await accounts.updateUser(user.id, {
        passwordHash: await auth.hashPassword(await readPassword({ confirm: true })),
      });
      await signOut();
      return { user, line: `changed the password of ${of}`, action: 'user.password', details: {} };
    case 'role':
      await accounts.updateUser(user.id, { role: role! });
      return {
        user: { ...user, role: role! },
        line: `${of} is now ${role}`,
        action: 'user.update',
        details: { role },
      };
    case 'disable':
      await accounts.updateUser(user.id, { disabled: true });
      await signOut();
      return { user, line: `disabled ${of}`, action: 'user.update', details: { disabled: true } };
    case 'enable':
      await accounts.updateUser(user.id, { disabled: false });
      return { user, line: `enabled ${of}`, action: 'user.update', details: { disabled: false } };
  }
}
