import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ForgeContext } from '../forge/context.js';
import { checkWorkflow, parseWorkflow } from './definition.js';
import type { WorkflowEngine } from './engine.js';
import type { WorkflowRecord } from './model.js';
import { createSchedules } from './schedules.js';

afterEach(() => {
  vi.useRealTimers();
});

/**
 * Schedules over a fake engine, the forge clock at `start`: the engine's store answers
 * `loaded` (or what `read` gives, once `beforeRead` resolves); the runs started are listed by
 * their tick's time (`ticks`) and their schedule (`triggered`).
 */
function schedulesOf(
  start: string,
  on: unknown,
  options: { beforeRead?: () => Promise<void>; read?: (loaded: WorkflowRecord) => WorkflowRecord } = {},
) {
  vi.useFakeTimers({ now: Date.parse(start), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const workflow: WorkflowRecord = {
    id: 'wf1',
    tenant: 'default',
    name: 'nightly',
    enabled: true,
    definition: parseWorkflow({ name: 'nightly', on, steps: { a: { uses: 'process' } } }),
    savedBy: null,
    createdAt: start,
    updatedAt: start,
  };
  const ticks: string[] = [];
  const triggered: string[] = [];
  const engine = {
    store: () => ({
      getWorkflow: async () => {
        await options.beforeRead?.();
        return options.read ? options.read(workflow) : workflow;
      },
      listWorkflows: async () => [workflow],
    }),
    startRun: async (request: { id: string; trigger: { at: string; schedule: string } }) => {
      ticks.push(request.trigger.at);
      triggered.push(request.trigger.schedule);
      return { run: { id: request.id }, created: true };
    },
  } as unknown as WorkflowEngine;
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  const ctx = { options: { now: () => Date.now(), logger } } as unknown as ForgeContext;
  return { schedules: createSchedules(ctx, engine), ticks, triggered };
}

/** A forge clock at `start`, a schedule trigger on one stored workflow, and the ticks it starts. */
function scheduled(start: string, schedule: string, timezone: string, beforeRead?: () => Promise<void>) {
  const { schedules, ticks } = schedulesOf(start, { schedule, timezone }, beforeRead ? { beforeRead } : {});
  return { schedules, ticks };
}

describe('schedule triggers across daylight saving time', () => {
  it('a forge started inside the hour repeated when clocks go back runs nothing until the next tick', async () => {
    // Europe/Berlin, 25 Oct 2026: 03:00 CEST becomes 02:00 CET; 01:05Z is 02:05 CET, the second
    // pass. The 02:30 tick ran (or was missed) in the first pass, at 00:30Z.
    const { schedules, ticks } = scheduled('2026-10-25T01:05:00Z', '30 2 * * *', 'Europe/Berlin');
    await schedules.load();
    await vi.advanceTimersByTimeAsync(5_000);
    // croner's own timer fired the past 02:30 tick at once, over and over for the whole half hour.
    expect(ticks).toEqual([]);
    await vi.advanceTimersByTimeAsync(Date.parse('2026-10-26T01:30:01Z') - Date.now());
    expect(ticks).toEqual(['2026-10-26T01:30:00.000Z']);
    await schedules.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a running forge fires a daily tick once on each day of a change, and never in a loop', async () => {
    const { schedules, ticks } = scheduled('2026-10-24T12:00:00Z', '30 1 * * *', 'America/New_York');
    await schedules.load();
    // New York, 1 Nov 2026: 02:00 EDT becomes 01:00 EST, so 01:30 comes twice (05:30Z, 06:30Z).
    for (const until of ['2026-11-01T05:59:00Z', '2026-11-01T06:29:00Z', '2026-11-01T06:31:00Z']) {
      await vi.advanceTimersByTimeAsync(Date.parse(until) - Date.now());
      // Each step of fake time runs few timers: at most one wake-up per 30 s.
      expect(vi.getTimerCount()).toBe(1);
    }
    await vi.advanceTimersByTimeAsync(Date.parse('2026-11-02T12:00:00Z') - Date.now());
    expect(ticks).toEqual([
      '2026-10-25T05:30:00.000Z',
      '2026-10-26T05:30:00.000Z',
      '2026-10-27T05:30:00.000Z',
      '2026-10-28T05:30:00.000Z',
      '2026-10-29T05:30:00.000Z',
      '2026-10-30T05:30:00.000Z',
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    await schedules.stop();
  });

  it('a tick whose time the clocks skip when they go forward runs once, just past the gap', async () => {
    // Europe/Berlin, 28 Mar 2027: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that night.
    const { schedules, ticks } = scheduled('2027-03-27T12:00:00Z', '30 2 * * *', 'Europe/Berlin');
    await schedules.load();
    await vi.advanceTimersByTimeAsync(Date.parse('2027-03-29T12:00:00Z') - Date.now());
    expect(ticks).toEqual(['2027-03-28T01:30:00.000Z', '2027-03-29T00:30:00.000Z']);
    await schedules.stop();
  });
});

describe('schedule triggers racing a change or a close', () => {
  /** A tick held while it reads the stored workflow, until `release()`. */
  function heldTick() {
    let release!: () => void;
    let reading!: () => void;
    const read = new Promise<void>((resolve) => {
      reading = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const start = '2026-06-01T11:59:00Z';
    const fixture = scheduled(start, '0 12 * * *', 'UTC', async () => {
      reading();
      await gate;
    });
    return { ...fixture, read, release };
  }

  it('a workflow removed here while its tick reads it starts no run', async () => {
    const { schedules, ticks, read, release } = heldTick();
    await schedules.load();
    await vi.advanceTimersByTimeAsync(60_000);
    await read;
    schedules.refresh({ id: 'wf1', removed: true });
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(ticks).toEqual([]);
    await schedules.stop();
  });

  it('close waits for a tick firing, which then starts no run', async () => {
    const { schedules, ticks, read, release } = heldTick();
    await schedules.load();
    await vi.advanceTimersByTimeAsync(60_000);
    await read;
    let stopped = false;
    const stopping = schedules.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(ticks).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('two triggers due together both start their run after another forge re-saved the workflow', async () => {
    // Both timers, due at the same instant, are reading at once (as with a real catalog).
    let reading = 0;
    let both!: () => void;
    const bothReading = new Promise<void>((resolve) => {
      both = resolve;
    });
    const { schedules, triggered } = schedulesOf(
      '2026-06-01T11:59:00Z',
      [
        { schedule: '0 12 * * *', timezone: 'UTC' },
        { schedule: '0 * * * *', timezone: 'UTC' },
      ],
      {
        beforeRead: async () => {
          if (++reading === 2) both();
          await bothReading;
        },
        // Saved again elsewhere with the same schedules (a step renamed, say): a newer updatedAt.
        read: (loaded) => ({ ...loaded, updatedAt: '2026-06-01T11:59:30.000Z' }),
      },
    );
    await schedules.load();
    await vi.advanceTimersByTimeAsync(60_000);
    await schedules.stop();
    expect(triggered.sort()).toEqual(['0 * * * *', '0 12 * * *']);
  });

  it('a tick not raced starts its run (the two cases above are not vacuous)', async () => {
    const { schedules, ticks, read, release } = heldTick();
    await schedules.load();
    await vi.advanceTimersByTimeAsync(60_000);
    await read;
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(ticks).toEqual(['2026-06-01T12:00:00.000Z']);
    await schedules.stop();
  });
});

describe('schedule patterns', () => {
  const issues = (schedule: string) => {
    const checked = checkWorkflow({ name: 'x', on: { schedule }, steps: { a: { uses: 'process' } } });
    return checked.ok ? [] : checked.issues;
  };

  it('refuses a date no month has, which would never run, naming it', () => {
    for (const schedule of ['0 0 30 2 *', '0 0 31 4 *', '0 0 0 31 11 *']) {
      expect(issues(schedule)).toEqual([
        { path: 'on.schedule', message: expect.stringMatching(/^never runs: no date matches/) },
      ]);
    }
    expect(issues('0 0 29 2 *')).toEqual([]);
  });

  it('refuses a stepping of 0 and fields out of range, without hanging', () => {
    for (const schedule of ['*/0 * * * *', '61 * * * *', '* 24 * * *', '* * 32 * *', '* * * 13 *', '']) {
      expect(issues(schedule)).toEqual([
        { path: 'on.schedule', message: expect.stringMatching(/^not a cron pattern/) },
      ]);
    }
  });
});
