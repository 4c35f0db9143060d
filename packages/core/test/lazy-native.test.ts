import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CORE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs `script` in a fresh Node process that records every native addon loaded (process.dlopen). */
function nativeModulesLoadedBy(script: string): string[] {
  const probe = `
    const loaded = [];
    const dlopen = process.dlopen;
    process.dlopen = function (module, filename, ...rest) {
      loaded.push(filename);
      return dlopen.call(this, module, filename, ...rest);
    };
    ${script}
    process.stdout.write(JSON.stringify(loaded));
  `;
  const result = spawnSync(
    process.execPath,
    ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', probe],
    { cwd: CORE_ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`probe failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

describe('@fileforge/core loads native modules only when an engine needs them (issue 8)', () => {
  it('loads no native module on import', () => {
    expect(nativeModulesLoadedBy("await import('@fileforge/core');")).toEqual([]);
  });

  it('loads better-sqlite3 once a SQLite catalog is opened', () => {
    const loaded = nativeModulesLoadedBy(`
      const { openCatalog } = await import('@fileforge/core');
      const catalog = await openCatalog('sqlite::memory:');
      await catalog.close();
    `);
    expect(loaded.some((file) => file.includes('better_sqlite3'))).toBe(true);
  });
});
