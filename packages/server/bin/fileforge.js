#!/usr/bin/env node
// The `fileforge` command. npm links this file when it installs the workspace, before the
// `prepare` script has built dist/, so the link target exists on a fresh clone; it loads the
// built CLI when it runs.
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('fileforge: the CLI is not built yet; run `npm run build` (npm ci does it)\n');
    process.exit(1);
  }
  throw error;
}
