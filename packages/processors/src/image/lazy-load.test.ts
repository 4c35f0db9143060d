import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * In a fresh Node process (sources through tsx, as in development): imports the module,
 * creates a processor, then runs an operation, reporting after each step whether sharp is
 * loaded — its files in the CommonJS cache, or libvips mapped into the process (the native
 * addon is what costs memory and start-up time).
 */
type Loaded = { cached: boolean; mapped: boolean };

function sharpLoadedBeforeAndAfterUse(
  use = `await image.convert(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'), { format: 'png' });`,
): { imported: Loaded; used: Loaded } {
  const script = `
    import { createRequire } from 'node:module';
    import { readFileSync } from 'node:fs';
    const loaded = () => ({
      cached: Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\\\/]sharp[\\\\/-]/.test(k)),
      mapped: readFileSync('/proc/self/maps', 'utf8').includes('libvips'),
    });
    const image = await import('@fileforge/processors/image');
    const processor = image.createImageProcessor();
    const imported = loaded();
    ${use}
    console.log(JSON.stringify({ imported, used: loaded() }));
  `;
  const child = spawnSync(
    process.execPath,
    ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: ROOT, encoding: 'utf8', timeout: 50_000 },
  );
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
}

describe('@fileforge/processors/image', () => {
  it('does not load sharp when imported, only when first used', () => {
    const { imported, used } = sharpLoadedBeforeAndAfterUse();
    expect(imported).toEqual({ cached: false, mapped: false });
    // Control: the same checks do see sharp once an operation has run.
    expect(used).toEqual({ cached: true, mapped: true });
  }, 60_000);

  it("loads sharp and libvips in the processor's warmUp(), before any file", () => {
    const { imported, used } = sharpLoadedBeforeAndAfterUse('await processor.warmUp();');
    expect(imported).toEqual({ cached: false, mapped: false });
    expect(used).toEqual({ cached: true, mapped: true });
  }, 60_000);
});
