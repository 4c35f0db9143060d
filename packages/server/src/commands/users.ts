import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { openCatalog, type Role } from '@fileforge/core';
import { createAccessTokens } from '../auth/access-tokens.js';
import { createAuthService, type PublicUser } from '../auth/service.js';
import { createLogger } from '../logger.js';
import { userTarget } from '../middleware/audit.js';
import { resolveSecrets } from '../secrets.js';
import { recordCliAudit } from './cli-audit.js';
import { loadCliConfig } from './cli-config.js';

/** `fileforge users --help`. */
export const USERS_USAGE = `Usage: fileforge users create --email <email> [--admin | --role admin|editor|viewer] [--tenant <name>]
  The password is read from FILEFORGE_PASSWORD, or from the first line of standard input.
  Recorded in the audit trail as user.create, with the operating-system user as actor (cli).
`;

async function readPassword(): Promise<string> {
  if (process.env.FILEFORGE_PASSWORD) return process.env.FILEFORGE_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

/**
 * `fileforge users create`: creates a user directly in the catalog (works whether or not the
 * server is running). `--admin` is short for `--role admin`; the tenant defaults to `default`.
 * Audited like `POST /api/v1/users` (`user.create`), the local operator as actor.
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
    },
  });
  if (positionals[0] !== 'create' || !values.email) {
    process.stderr.write(USERS_USAGE);
    return 2;
  }
  const role = (values.admin ? 'admin' : (values.role ?? 'viewer')) as Role;
  if (!['admin', 'editor', 'viewer'].includes(role)) {
    process.stderr.write(`fileforge users: unknown role "${role}"\n`);
    return 2;
  }
  const config = loadCliConfig();
  const catalog = await openCatalog(config.databaseUrl);
  const secrets = await resolveSecrets(config, createLogger(config.logLevel, { stderr: true }));
  let user: PublicUser;
  try {
    await catalog.migrate();
    const tokens = await createAccessTokens({ secret: secrets.jwtSecretKey });
    const auth = createAuthService({ catalog, tokens, bcryptRounds: config.env.BCRYPT_ROUNDS });
    user = await auth.createUser({
      email: values.email,
      password: await readPassword(),
      role,
      tenant: values.tenant!,
    });
  } finally {
    await catalog.close();
  }
  process.stdout.write(`created ${user.role} ${user.email} (tenant ${user.tenant}, id ${user.id})\n`);
  await recordCliAudit(config.databaseUrl, {
    tenant: user.tenant,
    action: 'user.create',
    target: userTarget(user),
    details: { role: user.role },
  });
  return 0;
}
