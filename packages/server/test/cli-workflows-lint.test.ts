import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killHard, spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

async function fileforge(args: string[]) {
  const cli = spawnCli(args, {});
  const code = await Promise.race([
    cli.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000).unref()),
  ]);
  if (code === 'timeout') await killHard(cli);
  return { code, ...cli.output() };
}

const SOUND = `
name: thumbnails-then-sort
on: { event: file.processed }
steps:
  thumb: { uses: image.thumbnail, with: { width: 256 } }
  sort: { uses: sort, needs: [thumb] }
  notify: { uses: my.notify, needs: [sort], with: { text: "{{ file.name }}" } }
  hook: { uses: webhook, needs: [sort], with: { url: "https://hooks.example.com/in", type: file.sorted } }
  share: { uses: connector.slack.postMessage, needs: [sort], with: { channel: C0123456789, text: "{{ file.name }}" } }
`;

const BROKEN = `
name: broken
on: { manual: true }
steps:
  a: { uses: process, needs: [c] }
  b: { uses: process, needs: [a] }
  c: { uses: process, needs: [b] }
  d: { uses: classify, needs: [ghost] }
  e: { uses: no.such.kind }
`;

describe('fileforge workflows lint', () => {
  it('prints each problem with its rule id and exits 1; a sound file is ok', {
    timeout: 120_000,
  }, async () => {
    const dir = await makeTempDir('fileforge-lint-');
    await writeFile(join(dir, 'sound.yaml'), SOUND);
    await writeFile(join(dir, 'broken.yaml'), BROKEN);
    const { code, stdout, stderr } = await fileforge([
      'workflows',
      'lint',
      join(dir, 'sound.yaml'),
      join(dir, 'broken.yaml'),
      '--step',
      'my.notify',
    ]);
    expect(code, stderr).toBe(1);
    expect(stdout).toContain(`${join(dir, 'sound.yaml')}: ok`);
    expect(stdout).toMatch(/broken\.yaml: cycle at steps\.a\.needs: .*"a" → "c" → "b" → "a"/);
    expect(stdout).toMatch(/broken\.yaml: undefined-step at steps\.d\.needs\[0\]: /);
    expect(stdout).toMatch(/broken\.yaml: unknown-step-kind at steps\.e\.uses: /);
  });

  it('without --step, a custom kind is unknown; --json reports per file; usage errors exit 2', {
    timeout: 120_000,
  }, async () => {
    const dir = await makeTempDir('fileforge-lint-');
    await writeFile(join(dir, 'sound.yaml'), SOUND);
    const json = await fileforge(['workflows', 'lint', join(dir, 'sound.yaml'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      problems: [{ rule: 'unknown-step-kind', path: 'steps.notify.uses' }],
    });
    expect((await fileforge(['workflows', 'lint'])).code).toBe(2);
    expect((await fileforge(['workflows', 'frob', 'x'])).code).toBe(2);
    expect((await fileforge(['workflows', 'lint', join(dir, 'missing.yaml')])).code).toBe(2);
  });
});
