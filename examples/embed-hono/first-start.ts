import { randomBytes } from 'node:crypto';
import type { AuthService } from '@fileforge/server';

/**
 * On a data directory without users, creates the first admin (ADMIN_EMAIL, ADMIN_PASSWORD;
 * a random password when unset) and an admin API key for scripts, and returns them: the key
 * is shown this once, FileForge keeps only its hash. Later starts return `null`.
 */
export async function firstStartKey(
  auth: AuthService,
  keyName: string,
): Promise<{ email: string; apiKey: string } | null> {
  if (!(await auth.needsSetup())) return null;
  const email = process.env.ADMIN_EMAIL ?? 'admin@example.com';
  const admin = await auth.setup(email, process.env.ADMIN_PASSWORD ?? randomBytes(18).toString('base64url'));
  const { key } = await auth.createApiKey(
    { kind: 'user', id: admin.id, userId: admin.id, tenant: admin.tenant, role: admin.role },
    { name: keyName, role: 'admin' },
  );
  return { email, apiKey: key };
}
