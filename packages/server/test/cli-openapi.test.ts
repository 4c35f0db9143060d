import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli } from './support/bundled-cli.js';
import { makeTempDir, startTestServer, stopTestServers } from './support/server.js';

let bundle: Awaited<ReturnType<typeof bundleCli>>;
beforeAll(async () => {
  bundle = await bundleCli();
});
afterAll(() => bundle?.remove());
afterEach(stopTestServers);

describe('fileforge openapi', () => {
  it('prints a valid OpenAPI 3.1 document equal to the one a running server serves', {
    timeout: 120_000,
  }, async () => {
    // No configuration at all: the command needs no data directory or server.
    const run = await runBundledCli(bundle.path, ['openapi'], {
      DATA_DIR: join(await makeTempDir(), 'unused'),
    });
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as { openapi: string; paths: Record<string, unknown> };
    expect(printed.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(printed) as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);

    const s = await startTestServer();
    const served = await (await fetch(`${s.url}/openapi.json`)).json();
    expect(printed).toEqual(served);
    expect(Object.keys(printed.paths)).toContain('/api/v1/files');

    const out = join(await makeTempDir(), 'openapi.json');
    const written = await runBundledCli(bundle.path, ['openapi', '--compact', '--output', out]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe('');
    const text = await readFile(out, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual(served);
  });

  it('refuses an argument with the usage and exit 2', { timeout: 60_000 }, async () => {
    const run = await runBundledCli(bundle.path, ['openapi', 'yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^fileforge openapi: takes no arguments\n\nUsage: fileforge openapi/);
    expect(run.stdout).toBe('');
  });
});
