import { spawn, spawnSync } from 'node:child_process';
import { appendFile, chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { killHard, spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';
import { filesOf, listTree, makeMessyFolder } from './support/sort-folder.js';

afterEach(stopTestServers);

const CLI_SOURCE = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `fileforge <args>` to the end (killing it after 90 s) with its own run index. */
async function fileforge(args: string[], env: Record<string, string> = {}) {
  const cli = spawnCli(args, env);
  const code = await Promise.race([
    cli.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000).unref()),
  ]);
  if (code === 'timeout') await killHard(cli);
  return { code, ...cli.output() };
}

async function setUp(count: number) {
  const dir = await makeTempDir('fileforge-sort-');
  const rules = join(await makeTempDir('fileforge-rules-'), 'rules.yaml');
  const state = await makeTempDir('fileforge-state-');
  await makeMessyFolder(dir, count, rules);
  return { dir, rules, env: { XDG_STATE_HOME: state } };
}

const runIdOf = (stdout: string) => /^run ([0-9a-z]{26}):/m.exec(stdout)?.[1];

describe('fileforge sort', () => {
  it('leaves out, with a warning, the files and sub-folders its user may not read, and sorts the rest', {
    timeout: 120_000,
  }, async () => {
    // Root reads everything: as root the command runs as `nobody`, who cannot.
    const asRoot = process.getuid?.() === 0;
    const root = await makeTempDir('fileforge-sort-denied-');
    const dir = join(root, 'messy');
    await mkdir(join(dir, 'locked'), { recursive: true });
    await writeFile(join(dir, 'a.txt'), 'readable');
    await writeFile(join(dir, 'secret.txt'), 'not for this user');
    await writeFile(join(dir, 'locked', 'inner.txt'), 'nor this');
    const rules = join(root, 'rules.yaml');
    await writeFile(
      rules,
      '- id: notes\n  conditions: [{ field: ext, op: eq, value: txt }]\n  destination: "notes/{name}{ext}"\n',
    );
    for (const path of [root, dir]) await chmod(path, 0o777);
    await chmod(join(dir, 'secret.txt'), asRoot ? 0o600 : 0o000);
    await chmod(join(dir, 'locked'), asRoot ? 0o700 : 0o000);
    try {
      const child = spawnSync(
        process.execPath,
        [
          '--conditions=@fileforge/source',
          '--import',
          'tsx',
          CLI_SOURCE,
          'sort',
          dir,
          '--rules',
          rules,
          '--recursive',
        ],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, HOME: root, XDG_STATE_HOME: join(root, 'state') },
          ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
        },
      );
      expect(child.status, child.stderr).toBe(0);
      expect(child.stdout).toContain('moved   a.txt → notes/a.txt');
      expect(child.stderr).toContain('warning: secret.txt: the file cannot be read');
      expect(child.stderr).toContain('warning: locked: the folder cannot be read');
      expect(await readFile(join(dir, 'notes', 'a.txt'), 'utf8')).toBe('readable');
    } finally {
      await chmod(join(dir, 'locked'), 0o755);
      await chmod(join(dir, 'secret.txt'), 0o644);
    }
  });

  it("refuses to sort or undo a folder another live sort holds, and takes over a dead one's lock", {
    timeout: 180_000,
  }, async () => {
    const { dir, rules, env } = await setUp(6);
    const first = await fileforge(['sort', dir, '--rules', rules], env);
    expect(first.code, first.stderr).toBe(0);
    const runId = runIdOf(first.stdout)!;
    const files = async () => (await listTree(dir)).filter((f) => !f.path.startsWith('.fileforge'));
    const before = await files();
    // Another live process holds the folder (as a sort in progress does).
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(dir, '.fileforge', 'sort.pid'), String(holder.pid));
      for (const args of [
        ['sort', dir, '--rules', rules],
        ['sort', '--undo', runId, dir],
      ]) {
        const refused = await fileforge(args, env);
        expect(refused.code, args.join(' ')).toBe(1);
        expect(refused.stderr).toContain(`is being sorted or undone by process ${holder.pid}`);
        expect(await files()).toEqual(before);
      }
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // Its holder gone, the lock is stale: the undo goes ahead, and leaves no lock behind.
    const undo = await fileforge(['sort', '--undo', runId, dir], env);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await readdir(join(dir, '.fileforge'))).not.toContain('sort.pid');
  });

  it('--dry-run prints the plan and changes nothing on disk', { timeout: 120_000 }, async () => {
    const { dir, rules, env } = await setUp(30);
    const before = await listTree(dir);
    const { code, stdout, stderr } = await fileforge(['sort', dir, '--rules', rules, '--dry-run'], env);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Plan for .*: 31 file\(s\), 30 to move \(dry run, nothing changed\)$/m);
    expect(stdout).toMatch(
      /^ {2}invoice-0\.pdf → invoices\/\d{4}\/invoice-0\.pdf {2}\[invoices\] destination is free\n {6}why: Rule "invoices" matched: mime eq application\/pdf\.$/m,
    );
    // The text rule says which words it found.
    expect(stdout).toMatch(
      /^ {2}note-2\.txt → notes\/note-2\.txt {2}\[notes\] .*\n {6}why: Rule "notes" matched: text any "minutes" matched words minutes\.$/m,
    );
    expect(stdout).toMatch(
      /^ {2}scan-1\.dat → images\/scan-1\.png {2}\[images\] destination occupied; overwrote/m,
    );
    expect(stdout).toMatch(/^ {2}unmatched\.bin {2}\(stays\) {2}no rule matched$/m);
    // Every file and folder, with sizes and modification times: identical, and no journal.
    expect(await listTree(dir)).toEqual(before);

    const json = await fileforge(['sort', dir, '--rules', rules, '--dry-run', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as {
      items: Array<{ from: string; to: string | null; ruleId: string | null; why: string }>;
    };
    expect(plan.items).toHaveLength(31);
    expect(plan.items.find((i) => i.from === 'note-2.txt')).toMatchObject({
      to: 'notes/note-2.txt',
      ruleId: 'notes',
      why: 'Rule "notes" matched: text any "minutes" matched words minutes.',
    });
    expect(plan.items.find((i) => i.from === 'unmatched.bin')?.why).toBe('No rule matched (3 tried).');
    expect(await listTree(dir)).toEqual(before);

    // A name that would erase the line or start a fake one is shown escaped, on its own line.
    await writeFile(join(dir, 'real.pdf\r\x1b[2K\nzz.pdf'), '%PDF-1.4\n%%EOF\n');
    const tricky = await fileforge(['sort', dir, '--rules', rules, '--dry-run'], env);
    expect(tricky.code, tricky.stderr).toBe(0);
    expect(tricky.stdout.includes('\r') || tricky.stdout.includes('\x1b')).toBe(false);
    expect(tricky.stdout).toContain('real.pdf\\x0d\\x1b[2K\\x0azz.pdf');
    expect(tricky.stdout.split('\n').filter((l) => l.startsWith('  zz.pdf'))).toEqual([]);
  });

  it('applies the rules with their conflict modes, prints the run id, and --undo from anywhere puts everything back', {
    timeout: 120_000,
  }, async () => {
    const { dir, rules, env } = await setUp(9);
    const before = filesOf(await listTree(dir, ['.fileforge']));
    const { code, stdout, stderr } = await fileforge(['sort', dir, '--rules', rules], env);
    expect(code, stderr).toBe(0);
    const runId = runIdOf(stdout);
    expect(runId, stdout).toBeDefined();
    expect(stdout).toMatch(/9 moved, 1 left in place, 0 failed/);
    expect(stdout).toContain(`undo with: fileforge sort --undo ${runId}\n`);

    const after = filesOf(await listTree(dir, ['.fileforge'])).map((f) => f.path);
    const year = String(new Date(before.find((f) => f.path === 'invoice-0.pdf')!.mtimeMs).getUTCFullYear());
    expect(after).toEqual(
      [
        `invoices/${year}/invoice-0.pdf`,
        `invoices/${year}/invoice-3.pdf`,
        `invoices/${year}/invoice-6.pdf`,
        'images/scan-1.png',
        'images/scan-4.png',
        'images/scan-7.png',
        'notes/note-2.txt',
        'notes/note-5.txt',
        'notes/note-8.txt',
        'unmatched.bin',
      ].sort((a, b) => a.localeCompare(b)),
    );
    // overwrite: the older image went to the run's trash, not away.
    expect(await readFile(join(dir, '.fileforge', 'trash', runId!, 'images', 'scan-1.png'), 'utf8')).toBe(
      'older image',
    );

    // The spawned CLI runs in the repository root: the run index finds the folder.
    const undo = await fileforge(['sort', '--undo', runId!], env);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`run ${runId}: 9 file(s) put back`);
    expect(filesOf(await listTree(dir, ['.fileforge']))).toEqual(before);

    const twice = await fileforge(['sort', '--undo', runId!, dir], env);
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stdout).toContain('0 file(s) put back, 9 already put back by an earlier undo');
    expect(filesOf(await listTree(dir, ['.fileforge']))).toEqual(before);
  });

  it('undo restores a 500-file run exactly and stops safely on a file modified since', {
    timeout: 180_000,
  }, async () => {
    const { dir, rules, env } = await setUp(500);
    const before = filesOf(await listTree(dir, ['.fileforge']));
    const sorted = await fileforge(['sort', dir, '--rules', rules, '--json'], env);
    expect(sorted.code, sorted.stderr).toBe(0);
    const run = JSON.parse(sorted.stdout) as {
      runId: string;
      moved: number;
      items: Array<{ from: string; to: string }>;
    };
    expect(run.moved).toBe(500);

    // Modify one sorted file; undo goes newest first, so it stops there with the rest untouched.
    const moved = run.items.filter((i) => i.to !== null && i.from !== 'unmatched.bin');
    const victim = moved.find((i) => i.from === 'note-200.txt')!;
    await appendFile(join(dir, victim.to), 'edited after the sort\n');
    const beforeUndo = filesOf(await listTree(dir, ['.fileforge']));
    const stopped = await fileforge(['sort', '--undo', run.runId, dir], env);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(`stopped at ${victim.to}`);
    expect(stopped.stderr).toMatch(/changed since the run/);
    const journal = (await readFile(join(dir, '.fileforge', 'runs', `${run.runId}.jsonl`), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; seq: number; from: string; to: string });
    const planned = journal.filter((e) => e.type === 'planned');
    const victimSeq = planned.find((e) => e.from === victim.from)!.seq;
    const now = filesOf(await listTree(dir, ['.fileforge']));
    for (const e of planned) {
      if (e.seq > victimSeq) {
        expect(
          now.find((f) => f.path === e.from),
          e.from,
        ).toEqual(before.find((f) => f.path === e.from));
      } else {
        expect(
          now.find((f) => f.path === e.to),
          e.to,
        ).toEqual(beforeUndo.find((f) => f.path === e.to));
      }
    }
    expect(stopped.stdout).toContain(`${500 - victimSeq - 1} file(s) put back`);

    // Put the edit right (same content and time), and the undo finishes exactly.
    const original = before.find((f) => f.path === victim.from)!;
    const { truncate, utimes } = await import('node:fs/promises');
    await truncate(join(dir, victim.to), original.size);
    await utimes(join(dir, victim.to), original.mtimeMs / 1000, original.mtimeMs / 1000);
    const finished = await fileforge(['sort', '--undo', run.runId, dir], env);
    expect(finished.code, finished.stderr).toBe(0);
    // utimes cannot set the nanoseconds back exactly: the file the test rewrote is compared to
    // the millisecond, every other file exactly.
    const toMs = (files: typeof before) =>
      files.map((f) => (f.path === victim.from ? { ...f, mtimeMs: Math.trunc(f.mtimeMs) } : f));
    expect(toMs(filesOf(await listTree(dir, ['.fileforge'])))).toEqual(toMs(before));
  });

  it('Ctrl-C in the middle of a run stops it, says which run to undo (exit 130), and that undo puts everything back', {
    timeout: 180_000,
  }, async () => {
    const { dir, rules, env } = await setUp(3000);
    const before = filesOf(await listTree(dir, ['.fileforge']));
    const cli = spawnCli(['sort', dir, '--rules', rules], env);
    for (let i = 0; i < 6000 && !cli.output().stdout.includes('moved '); i++) await sleep(5);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    const { stderr } = cli.output();
    const runId = /^interrupted: run ([0-9a-z]{26}) stopped after \d+ of \d+ file/m.exec(stderr)?.[1];
    expect(runId, stderr).toBeTruthy();
    expect(stderr).toContain(`undo with: fileforge sort --undo ${runId} ${dir}`);
    const half = filesOf(await listTree(dir, ['.fileforge']));
    expect(half.filter((f) => !f.path.includes('/')).length).toBeGreaterThan(0);
    const undo = await fileforge(['sort', '--undo', runId!, dir], env);
    expect(undo.code, undo.stderr).toBe(0);
    expect(filesOf(await listTree(dir, ['.fileforge']))).toEqual(before);
  });

  it('SIGKILL in the middle of a run: undo settles the run and puts everything back', {
    timeout: 180_000,
  }, async () => {
    const { dir, rules, env } = await setUp(500);
    const before = filesOf(await listTree(dir, ['.fileforge']));
    const killed = await fileforge(['sort', dir, '--rules', rules], {
      ...env,
      FILEFORGE_CRASH_AT: 'sort-after-move:250',
    });
    expect(killed.code).toBe('SIGKILL');
    const [journalName] = await readdir(join(dir, '.fileforge', 'runs'));
    const runId = journalName!.replace('.jsonl', '');
    // Some files moved, some did not: the folder is half sorted.
    const half = filesOf(await listTree(dir, ['.fileforge']));
    expect(half.filter((f) => f.path.includes('/')).length).toBeGreaterThan(100);
    expect(half.filter((f) => !f.path.includes('/')).length).toBeGreaterThan(100);
    // A move in flight when the process died may have two names for one file (link made,
    // old name not yet removed): never fewer files than before.
    expect(half.length).toBeGreaterThanOrEqual(before.length);

    const undo = await fileforge(['sort', '--undo', runId], env);
    expect(undo.code, undo.stderr).toBe(0);
    expect(filesOf(await listTree(dir, ['.fileforge']))).toEqual(before);
  });

  it('SIGKILL in the middle of a run: the next sort settles it first, then finishes the folder', {
    timeout: 180_000,
  }, async () => {
    const { dir, rules, env } = await setUp(300);
    const before = filesOf(await listTree(dir, ['.fileforge']));
    const killed = await fileforge(['sort', dir, '--rules', rules], {
      ...env,
      FILEFORGE_CRASH_AT: 'sort-after-move:100',
    });
    expect(killed.code).toBe('SIGKILL');
    const [first] = await readdir(join(dir, '.fileforge', 'runs'));

    const next = await fileforge(['sort', dir, '--rules', rules], env);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain(`recovered an interrupted run: ${join(dir, '.fileforge', 'runs', first!)}`);
    // Every file is in exactly one place, sorted.
    const sorted = filesOf(await listTree(dir, ['.fileforge']));
    expect(sorted).toHaveLength(before.length - 1); // the older image went to the trash
    expect(sorted.filter((f) => !f.path.includes('/')).map((f) => f.path)).toEqual(['unmatched.bin']);
    expect(new Set(sorted.map((f) => f.sha256)).size).toBe(sorted.length);

    // Undoing both runs, newest first, restores the folder exactly.
    const second = runIdOf(next.stdout)!;
    expect((await fileforge(['sort', '--undo', second], env)).code).toBe(0);
    expect((await fileforge(['sort', '--undo', first!.replace('.jsonl', '')], env)).code).toBe(0);
    expect(filesOf(await listTree(dir, ['.fileforge']))).toEqual(before);
  });

  it('answers usage errors with exit code 2', { timeout: 120_000 }, async () => {
    const { dir, rules, env } = await setUp(3);
    const noRules = await fileforge(['sort', dir], env);
    expect(noRules.code).toBe(2);
    expect(noRules.stderr).toContain('--rules FILE');
    const badRules = join(dir, 'bad.yaml');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(badRules, '- id: x\n  conditions: [{ field: size, op: between, value: 1 }]\n');
    const invalid = await fileforge(['sort', dir, '--rules', badRules], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/\[0\]\.conditions\[0\]\.op/);
    const badRun = await fileforge(['sort', '--undo', '../../etc'], env);
    expect(badRun.code).toBe(2);
    // An undo has no preview: --dry-run with --undo is refused, not carried out.
    const preview = await fileforge(['sort', '--undo', '01m8s2v8v0s93jsqstz6tv9gtd', dir, '--dry-run'], env);
    expect(preview.code).toBe(2);
    expect(preview.stderr).toContain('--dry-run');
    const unknown = await fileforge(['sort', dir, '--rules', rules, '--frobnicate'], env);
    expect(unknown.code).toBe(2);
    const help = await fileforge(['sort', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: fileforge sort DIR --rules FILE/);
  });
});
