import { parseArgs } from 'node:util';
import {
  type AppliedMigration,
  auditMigrations,
  catalogEngine,
  type MigrationModule,
  openCatalog,
  sorterMigrations,
  workflowMigrations,
} from '@fileforge/core';
import { connectorMigrations, webhookMigrations } from '@fileforge/integrations';
import { admissionMigrations } from '../admission/migrations.js';
import { loadCliConfig } from './cli-config.js';

/** `fileforge migrate --help`. */
export const MIGRATE_USAGE = `Usage: fileforge migrate [--json]
  Applies the catalog's pending migrations (core, then workflows, sorter, audit, webhooks,
  connectors and upload admission) to the database DATABASE_URL names, and prints each one
  it applied. Servers and workers also migrate when they start; run this to migrate on your
  own schedule (before a rolling upgrade, say). Safe beside running processes: on PostgreSQL
  an advisory lock lets one process migrate at a time, and whoever comes second finds nothing
  pending.
  --json   print {"engine","applied":[{"module","name"}]} instead
Exit codes: 0 done (also when nothing was pending), 1 failed, 2 usage.
`;

/**
 * Every module that owns tables in a server's catalog, after core's: what `fileforge serve`
 * migrates (`createForge` adds workflows, sorter and audit; the integrations extensions add
 * webhooks and connectors; `createServer` adds upload admission's), in the same order.
 */
export const SERVER_MODULES: readonly MigrationModule[] = [
  workflowMigrations,
  sorterMigrations,
  auditMigrations,
  webhookMigrations,
  connectorMigrations,
  admissionMigrations,
];

/** `fileforge migrate`: runs pending migrations now and lists them. */
export async function runMigrate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0) {
    process.stderr.write(MIGRATE_USAGE);
    return 2;
  }
  const config = loadCliConfig();
  const engine = catalogEngine(config.databaseUrl);
  const catalog = await openCatalog(config.databaseUrl, { migrations: SERVER_MODULES });
  let applied: AppliedMigration[];
  try {
    applied = await catalog.migrate();
  } finally {
    await catalog.close();
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ engine, applied })}\n`);
    return 0;
  }
  for (const m of applied) process.stdout.write(`applied ${m.module}/${m.name}\n`);
  process.stdout.write(
    applied.length === 0
      ? `the ${engine} catalog is up to date; nothing to apply\n`
      : `${applied.length} migration${applied.length === 1 ? '' : 's'} applied to the ${engine} catalog\n`,
  );
  return 0;
}
