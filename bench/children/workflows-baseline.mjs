/**
 * Child: the least work FileForge's workflow runs need in the catalog, written straight into
 * SQLite (better-sqlite3, WAL, synchronous=NORMAL, as the catalog) in a loop: per run, the run
 * row and its 4 step rows inserted in one transaction, the run marked running, each step
 * marked running (attempts + 1) then completed with its output, the run marked completed —
 * each change its own commit, as the engine does. Timed like the FileForge child: the first
 * `runs` runs of the new process (cold), then `warmup - runs` more untimed, then `runs` timed
 * (warm).
 * Usage (through runChild): workflows-baseline.mjs <dataDir> <runs> <warmup>
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ownPeakRss, reportToParent, timeColdAndWarm } from '../lib/child-report.mjs';

const require = createRequire(join(process.cwd(), 'packages', 'core', 'package.json'));
const Database = require('better-sqlite3');
const [dataDir, runsArg, warmupArg] = process.argv.slice(2);
if (!dataDir || !runsArg || !warmupArg)
  throw new Error('usage: workflows-baseline.mjs <dataDir> <runs> <warmup>');
const runs = Number(runsArg);
const warmup = Number(warmupArg);

const db = new Database(join(dataDir, 'baseline.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  create table workflow_runs (id text primary key, tenant text not null, workflow_id text not null,
    status text not null, trigger text not null, file_id text, input text not null default '{}',
    depth integer not null default 0, caused_by text, error text, attempt integer not null default 1,
    created_at text not null, started_at text, finished_at text);
  create table workflow_steps (run_id text not null references workflow_runs(id) on delete cascade,
    name text not null, position integer not null, status text not null, attempts integer not null default 0,
    started_at text, finished_at text, output text, error text, primary key (run_id, name));
`);
const insertRun = db.prepare(
  `insert into workflow_runs (id, tenant, workflow_id, status, trigger, input, created_at) values (?, 'default', 'w', 'pending', '{"kind":"manual"}', '{}', ?)`,
);
const insertStep = db.prepare(
  `insert into workflow_steps (run_id, name, position, status) values (?, ?, ?, 'pending')`,
);
const runStatus = db.prepare(
  'update workflow_runs set status = ?, started_at = coalesce(started_at, ?), finished_at = ? where id = ?',
);
const stepRunning = db.prepare(
  `update workflow_steps set status = 'running', attempts = attempts + 1, started_at = ? where run_id = ? and name = ?`,
);
const stepDone = db.prepare(
  `update workflow_steps set status = 'completed', output = ?, finished_at = ? where run_id = ? and name = ?`,
);
const create = db.transaction((id, at) => {
  insertRun.run(id, at);
  for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) insertStep.run(id, name, i);
});

/** Writes `count` runs; answers the ms they took. */
function writeRuns(count) {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const id = randomBytes(13).toString('hex');
    const at = () => new Date().toISOString();
    create(id, at());
    runStatus.run('running', at(), null, id);
    for (const name of ['a', 'b', 'c', 'd']) {
      stepRunning.run(at(), id, name);
      stepDone.run(JSON.stringify({ ok: true }), at(), id, name);
    }
    runStatus.run('completed', null, at(), id);
  }
  return performance.now() - start;
}

const { coldMs, ms } = await timeColdAndWarm(writeRuns, runs, warmup);
db.close();
reportToParent({ bytes: 0, files: runs * 4, ms, coldMs, peakRssBytes: ownPeakRss() });
