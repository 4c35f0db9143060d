import { parseArgs } from 'node:util';
import { openAuditTrailReadOnly } from '@fileforge/core';
import { catalogFileRefusal } from './catalog-file.js';
import { loadCliConfig } from './cli-config.js';

/** `fileforge audit --help`. */
export const AUDIT_USAGE = `Usage: fileforge audit verify [--json]
  Walks the audit trail's hash chain from the first entry and reports the first broken link:
  an entry whose content no longer matches its hash (edited), or a missing or out-of-place
  entry (deleted, inserted). Read-only: works while the server runs.
  --json   Print the result as one JSON object
Exit codes: 0 the chain is intact, 1 it is broken or the catalog cannot be opened, 2 usage error.
`;

/**
 * `fileforge audit verify`: opens the catalog read-only (no data-directory lock, no
 * migration) and checks the chain. Prints the head (last seq and hash) when intact, so it can
 * be recorded elsewhere: entries cut off the end leave a shorter chain that is still intact.
 */
export async function runAudit(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals[0] !== 'verify' || positionals.length > 1) {
    process.stderr.write(AUDIT_USAGE);
    return 2;
  }
  const config = loadCliConfig();
  const refusal = await catalogFileRefusal(config);
  if (refusal) {
    process.stderr.write(`fileforge audit: ${refusal}\n`);
    return 1;
  }
  const trail = await openAuditTrailReadOnly(config.databaseUrl);
  try {
    const result = await trail.verify();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else if (result.ok) {
      const head = result.head ? `head seq ${result.head.seq}, hash ${result.head.hash}` : 'no entries yet';
      process.stdout.write(`audit trail intact: ${result.checked} entries checked (${head})\n`);
    } else {
      const broken = result.broken!;
      process.stdout.write(
        `audit trail BROKEN at seq ${broken.seq} (${broken.problem}): ${broken.message}\n` +
          `  expected ${broken.expected}\n  found    ${broken.actual}\n` +
          `  ${result.checked} entries before it are intact\n`,
      );
    }
    return result.ok ? 0 : 1;
  } finally {
    await trail.close();
  }
}
