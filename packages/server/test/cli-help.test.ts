/**
 * Every `fileforge` command answers `--help` with its usage, its options and its exit codes,
 * without reading any configuration or starting anything; an unknown command is a usage error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../src/commands/concurrent.js';
import { bundleCli, runBundledCli } from './support/bundled-cli.js';

let bundle: Awaited<ReturnType<typeof bundleCli>>;
beforeAll(async () => {
  bundle = await bundleCli();
});
afterAll(() => bundle?.remove());

/** A configuration every command that read it would refuse: help must be answered first. */
const UNUSABLE = { DATABASE_URL: 'mysql://nowhere', PORT: '1', REDIS_URL: 'redis://127.0.0.1:1' };

describe('fileforge --help', () => {
  it('lists every command, and each answers --help with its usage and exit codes', {
    timeout: 300_000,
  }, async () => {
    const top = await runBundledCli(bundle.path, ['--help'], UNUSABLE);
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout).toMatch(/Exit codes: 0 success, 1 failure .*, 2 usage error/s);
    const listed = [
      ...new Set([...top.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help')),
    ];
    for (const required of [
      'serve',
      'worker',
      'ingest',
      'sort',
      'workflows',
      'users',
      'keys',
      'backup',
      'restore',
      'audit',
      'migrate',
      'openapi',
    ])
      expect(listed).toContain(required);

    const problems: string[] = [];
    await forEachConcurrently(listed, 2, async (command) => {
      const help = await runBundledCli(bundle.path, [command, '--help'], UNUSABLE);
      if (help.code !== 0) problems.push(`${command}: exit ${help.code} ${help.stderr}`);
      if (!help.stdout.startsWith(`Usage: fileforge ${command}`)) problems.push(`${command}: ${help.stdout}`);
      if (!/Exit codes: 0 /.test(help.stdout)) problems.push(`${command}: no exit codes in its help`);
      if (help.stderr !== '') problems.push(`${command}: stderr ${help.stderr}`);
    });
    expect(problems).toEqual([]);
  });

  it('answers an unknown command with the list of commands and exit 2', { timeout: 60_000 }, async () => {
    const run = await runBundledCli(bundle.path, ['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^fileforge: unknown command "frobnicate"\n\nUsage: fileforge <command>/);
  });
});
