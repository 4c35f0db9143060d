import {
  type Catalog,
  createOutboxDispatcher,
  createSqliteCatalog,
  EventBus,
  type FileEvent,
  type OutboxDispatcherOptions,
} from '@fileforge/core';
import { sampleFile } from '@fileforge/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let catalog: Catalog;
let clock: number;
/** Whether the dispatcher claims entries (several processes) or reads them (the sole one). */
let claims = true;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  catalog = createSqliteCatalog({ path: ':memory:' });
  await catalog.migrate();
  clock = Date.parse('2030-01-01T00:00:00Z');
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await catalog.close();
});

const files = { a: sampleFile(), b: sampleFile() };

/** Appends a file event the way a state change does, and returns its id. */
async function commit(type: 'file.uploaded' | 'file.processed', file = files.a): Promise<string> {
  const eventId = `evt_${type}_${file.id}`;
  const payload: FileEvent = { eventId, tenant: file.tenant, file, timestamp: file.createdAt };
  await catalog.outbox.append({
    id: eventId,
    type,
    stream: `${file.tenant}/${file.id}`,
    payload,
    createdAt: file.createdAt,
  });
  return eventId;
}

function setup(options: Partial<OutboxDispatcherOptions> = {}) {
  const errors: unknown[] = [];
  const bus = new EventBus({ onListenerError: (error) => errors.push(error) });
  const dispatcher = createOutboxDispatcher({
    store: catalog.outbox,
    bus,
    now: () => clock,
    backoff: () => 1000,
    claims,
    ...options,
  });
  closers.push(() => dispatcher.close());
  dispatcher.start();
  return { bus, dispatcher, errors };
}

/** Records what a listener receives as `<event>:<file>`. */
function recorder(bus: EventBus, fail?: (event: string, file: string) => boolean) {
  const seen: string[] = [];
  const listen = (name: 'file.uploaded' | 'file.processed') =>
    bus.on(name, ({ file }) => {
      const fileName = file.id === files.a.id ? 'a' : 'b';
      seen.push(`${name}:${fileName}`);
      if (fail?.(name, fileName)) throw new Error(`${name} of ${fileName} refused`);
    });
  listen('file.uploaded');
  listen('file.processed');
  return seen;
}

describe.each([
  { mode: 'claiming entries', claiming: true },
  { mode: 'the sole dispatcher, reading entries', claiming: false },
])('event outbox dispatcher (issue 8), $mode', ({ claiming }) => {
  beforeEach(() => {
    claims = claiming;
  });
  it('delivers what was committed before start, in order, to listeners added right after', async () => {
    await commit('file.uploaded');
    await commit('file.uploaded', files.b);
    await commit('file.processed');
    const { bus, dispatcher } = setup();
    const seen = recorder(bus); // subscribed after start(), in the same task
    await dispatcher.deliver();
    expect(seen).toEqual(['file.uploaded:a', 'file.uploaded:b', 'file.processed:a']);
    expect(await catalog.outbox.countUndelivered()).toBe(0);
    await dispatcher.deliver();
    expect(seen).toHaveLength(3);
  });

  it('retries only the listener that failed, holding back that file’s later events but not other files’', async () => {
    const { bus, dispatcher, errors } = setup();
    const steady = recorder(bus);
    let refusals = 1;
    const flaky = recorder(bus, (event, file) => event === 'file.uploaded' && file === 'a' && refusals-- > 0);
    await commit('file.uploaded');
    await commit('file.processed');
    await commit('file.uploaded', files.b);
    await dispatcher.deliver();
    expect(steady).toEqual(['file.uploaded:a', 'file.uploaded:b']);
    expect(flaky).toEqual(['file.uploaded:a', 'file.uploaded:b']);
    expect(errors).toHaveLength(1);
    const [waiting] = await catalog.outbox.listUndelivered({ limit: 10 });
    expect(waiting).toMatchObject({
      type: 'file.uploaded',
      attempts: 1,
      lastError: 'file.uploaded of a refused',
    });

    await dispatcher.deliver(); // not due yet: nothing moves
    expect(flaky).toHaveLength(2);
    clock += 1000;
    await dispatcher.deliver();
    expect(steady).toEqual(['file.uploaded:a', 'file.uploaded:b', 'file.processed:a']);
    expect(flaky).toEqual(['file.uploaded:a', 'file.uploaded:b', 'file.uploaded:a', 'file.processed:a']);
    expect(await catalog.outbox.countUndelivered()).toBe(0);
  });

  it('gives up on an event after its rounds run out, and lets the file’s later events through', async () => {
    const givenUp: string[] = [];
    const { bus, dispatcher } = setup({ maxAttempts: 2, onGiveUp: (entry) => givenUp.push(entry.id) });
    const steady = recorder(bus);
    recorder(bus, (event) => event === 'file.uploaded');
    const uploaded = await commit('file.uploaded');
    await commit('file.processed');
    await dispatcher.deliver();
    clock += 1000;
    await dispatcher.deliver();
    expect(givenUp).toEqual([uploaded]);
    expect(steady).toEqual(['file.uploaded:a', 'file.processed:a']);
    expect(await catalog.outbox.countUndelivered()).toBe(0);
  });

  it('counts a listener that never settles as failed, without blocking delivery', async () => {
    const { bus, dispatcher, errors } = setup({ listenerTimeoutMs: 50 });
    const steady = recorder(bus);
    bus.on('file.uploaded', () => new Promise<void>(() => {}));
    await commit('file.uploaded');
    await commit('file.uploaded', files.b);
    await dispatcher.deliver();
    expect(steady).toEqual(['file.uploaded:a', 'file.uploaded:b']);
    expect(String(errors[0])).toContain('did not settle within 50 ms');
  });

  it('does not wait for itself when a listener causes another event', async () => {
    const { bus, dispatcher } = setup();
    const seen = recorder(bus);
    bus.once('file.uploaded', async () => {
      await commit('file.processed');
      await dispatcher.deliver(); // from inside a listener: must not deadlock
    });
    await commit('file.uploaded');
    await dispatcher.deliver();
    await dispatcher.deliver();
    expect(seen).toEqual(['file.uploaded:a', 'file.processed:a']);
  });

  it('does not wait for itself on a later delivery either (the listener context is set up each time)', async () => {
    const { bus, dispatcher } = setup();
    const seen = recorder(bus);
    bus.on('file.uploaded', async ({ file }) => {
      await commit('file.processed', file);
      await dispatcher.deliver();
    });
    await commit('file.uploaded');
    await dispatcher.deliver();
    await commit('file.uploaded', files.b);
    await dispatcher.deliver();
    await dispatcher.deliver();
    expect(seen).toEqual(['file.uploaded:a', 'file.processed:a', 'file.uploaded:b', 'file.processed:b']);
  });

  it('marks an event nobody listens to delivered (issue 10: no listener context for it)', async () => {
    const { dispatcher } = setup();
    await commit('file.uploaded');
    await dispatcher.deliver();
    expect(await catalog.outbox.listUndelivered({ afterSeq: 0, limit: 10 })).toEqual([]);
  });

  it('tells an unheard event apart only as the sole dispatcher, once started, while nobody listens to it', async () => {
    const { bus, dispatcher } = setup();
    expect(dispatcher.unheard('file.uploaded')).toBe(false); // not started yet: listeners may come
    await new Promise((resolve) => setImmediate(resolve));
    expect(dispatcher.unheard('file.uploaded')).toBe(!claiming);
    const off = bus.on('file.uploaded', () => {});
    expect(dispatcher.unheard('file.uploaded')).toBe(false);
    off();
    expect(dispatcher.unheard('file.uploaded')).toBe(!claiming);
    // Appended delivered: no pass reads it; it stays in its stream for inspection.
    await catalog.outbox.append({
      id: 'evt_unheard',
      type: 'file.uploaded',
      stream: 's',
      payload: {},
      createdAt: '2030-01-01T00:00:00.000Z',
      deliveredAt: '2030-01-01T00:00:00.000Z',
    });
    expect(await catalog.outbox.listUndelivered({ afterSeq: 0, limit: 10 })).toEqual([]);
    const [entry] = await catalog.outbox.listStream('s', { limit: 1 });
    expect(entry?.deliveredAt).toBe('2030-01-01T00:00:00.000Z');
    await dispatcher.close();
    expect(dispatcher.unheard('file.uploaded')).toBe(false);
  });

  it('prunes delivered events once the retention period has passed', async () => {
    const { bus, dispatcher } = setup({ retentionMs: 60_000, pruneIntervalMs: 1 });
    recorder(bus);
    const first = await commit('file.uploaded');
    await dispatcher.deliver();
    clock += 60_001;
    const second = await commit('file.uploaded', files.b);
    await dispatcher.deliver();
    const kept = async (id: string) =>
      !(await catalog.outbox.append({ id, type: 'x', stream: 'x', payload: {}, createdAt: '' }));
    expect(await kept(first)).toBe(false);
    expect(await kept(second)).toBe(true);
  });
});
