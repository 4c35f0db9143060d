import { parseArgs } from 'node:util';
import { openCatalog, runMigrations } from '@fileforge/core';
import { admissionMigrations } from '../admission/migrations.js';
import { createQuotaStore, type TenantQuota } from '../admission/quota-store.js';
import { recordCliAudit } from './cli-audit.js';
import { loadCliConfig } from './cli-config.js';

/** `fileforge tenants --help`. */
export const TENANTS_USAGE = `Usage: fileforge tenants <command> [--tenant <name>] [--json]
  usage                                      print the tenant's stored bytes and files, what
                                             uploads in flight reserve, and its quota
  quota --max-bytes <n|none> --max-files <n|none>
                                             set the tenant's quota (give one or both; "none"
                                             lifts that limit; both "none" removes the quota)
  --tenant defaults to "default". Works whether or not the server is running; a quota change
  is recorded in the audit trail as tenant.quota, the operating-system user as actor (cli).
  Sizes are bytes, or with a suffix: 500MiB, 2GiB, 10KiB.
  --json   print {"tenant","bytes","files","reservedBytes","reservedFiles","quota":{"maxBytes",
           "maxFiles"}|null} instead
Exit codes: 0 done, 1 failed, 2 usage error.
`;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** A limit from the command line: `none`, or a whole number with an optional binary suffix. */
function parseLimit(value: string | undefined, sizes: boolean): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const factor = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || factor === undefined || (!sizes && factor !== 1)) return Number.NaN;
  const n = Number(match[1]) * factor;
  return Number.isSafeInteger(n) ? n : Number.NaN;
}

const show = (n: number | null) => (n === null ? 'none' : String(n));

/**
 * `fileforge tenants usage|quota`: a tenant's usage and quota, read and set directly in the
 * catalog (the same store `PUT /api/v1/tenants/current/quota` writes).
 */
export async function runTenants(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tenant: { type: 'string', default: 'default' },
      'max-bytes': { type: 'string' },
      'max-files': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const command = positionals[0];
  const maxBytes = parseLimit(values['max-bytes'], true);
  const maxFiles = parseLimit(values['max-files'], false);
  const badLimit = Number.isNaN(maxBytes) || Number.isNaN(maxFiles);
  const quotaWithout = command === 'quota' && maxBytes === undefined && maxFiles === undefined;
  if ((command !== 'usage' && command !== 'quota') || positionals.length > 1 || badLimit || quotaWithout) {
    process.stderr.write(TENANTS_USAGE);
    return 2;
  }
  const tenant = values.tenant!;
  const config = loadCliConfig();
  const catalog = await openCatalog(config.databaseUrl);
  let quota: TenantQuota | null;
  let usage: Awaited<ReturnType<ReturnType<typeof createQuotaStore>['usage']>>;
  try {
    await catalog.migrate();
    const db = catalog.db?.();
    if (!db) throw new Error('fileforge tenants: the catalog is not a SQL catalog');
    await runMigrations(db, [admissionMigrations]);
    const quotas = createQuotaStore(db);
    const now = new Date().toISOString();
    if (command === 'quota') {
      const current = (await quotas.get(tenant)) ?? { maxBytes: null, maxFiles: null };
      await quotas.set(
        tenant,
        {
          maxBytes: maxBytes === undefined ? current.maxBytes : maxBytes,
          maxFiles: maxFiles === undefined ? current.maxFiles : maxFiles,
        },
        now,
      );
    }
    quota = await quotas.get(tenant);
    usage = await quotas.usage(tenant, now);
  } finally {
    await catalog.close();
  }
  if (command === 'quota') {
    await recordCliAudit(config.databaseUrl, {
      tenant,
      action: 'tenant.quota',
      target: { type: 'tenant', id: tenant, name: tenant },
      details: { maxBytes: quota?.maxBytes ?? null, maxFiles: quota?.maxFiles ?? null },
    });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ tenant, ...usage, quota })}\n`);
    return 0;
  }
  process.stdout.write(
    `tenant ${tenant}: ${usage.bytes} bytes in ${usage.files} files` +
      ` (reserved by uploads in flight: ${usage.reservedBytes} bytes, ${usage.reservedFiles} files);` +
      ` quota: ${quota ? `max bytes ${show(quota.maxBytes)}, max files ${show(quota.maxFiles)}` : 'none'}\n`,
  );
  return 0;
}
