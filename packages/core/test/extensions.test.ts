import { createForge, type ForgeExtension, type IntegrationEvent } from '@fileforge/core';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testForges } from './support/sorted-tree.js';
import { waitForRun } from './support/workflow-forge.js';

const { newForge, tempDir } = testForges('ff-ext-');

/** An extension that records what the forge did to it. */
function recorder(name: string, calls: string[], extra: Partial<ForgeExtension> = {}): ForgeExtension {
  return {
    name,
    migrations: {
      name,
      migrations: {
        '0001_init': {
          up: async (db) => {
            await db.schema
              .createTable(`${name}_things`)
              .addColumn('id', 'text', (c) => c.primaryKey())
              .execute();
          },
        },
      },
    },
    steps: [
      {
        name: `${name}.echo`,
        options: z.object({ say: z.string() }),
        run: async (_ctx, { say }) => ({ said: say }),
      },
    ],
    subscribe: (events) => {
      calls.push(`${name}:subscribe`);
      events.on('integration.connected', (event) => {
        calls.push(`${name}:event:${event.integration}`);
      });
    },
    start: async () => {
      calls.push(`${name}:start`);
    },
    close: async () => {
      calls.push(`${name}:close`);
    },
    ...extra,
  };
}

const connected = (integration: string): IntegrationEvent => ({
  eventId: `evt_${integration}`,
  tenant: 'default',
  integration,
  timestamp: new Date().toISOString(),
});

describe('forge extensions', () => {
  it('applies their migrations, registers their steps, subscribes before start-up and closes them first', async () => {
    const calls: string[] = [];
    const forge = await newForge({ extensions: [recorder('alpha', calls)] });
    expect(calls).toEqual(['alpha:subscribe', 'alpha:start']);

    // The module's table exists.
    await sql`insert into alpha_things (id) values ('x')`.execute(forge.catalog.db!());
    // Its step kind runs in a workflow.
    const workflow = await forge.workflows.define({
      name: 'echo',
      on: { manual: true },
      steps: { say: { uses: 'alpha.echo', with: { say: 'hi' } } },
    });
    const finished = await waitForRun(forge, (await forge.workflows.run(workflow.id)).id);
    expect(finished.status).toBe('completed');
    expect(finished.steps[0]?.output).toEqual({ said: 'hi' });

    // publish() commits the event and delivers it to the extension's listener.
    await forge.publish('integration.connected', connected('slack'));
    expect(calls).toContain('alpha:event:slack');

    await forge.close();
    expect(calls.at(-1)).toBe('alpha:close');
  });

  it('refuses two extensions of one name before anything is created', async () => {
    const dataDir = `${await tempDir()}/data`;
    await expect(
      createForge({ dataDir, extensions: [recorder('twin', []), recorder('twin', [])] }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('a failing start closes the forge and stops what already started', async () => {
    const calls: string[] = [];
    const dataDir = await tempDir();
    const failing = recorder('beta', calls, {
      start: async () => {
        throw new Error('boom');
      },
    });
    await expect(createForge({ dataDir, extensions: [recorder('alpha', calls), failing] })).rejects.toThrow(
      'boom',
    );
    expect(calls).toContain('alpha:close');
    expect(calls).not.toContain('beta:close');
    // The data directory is unlocked again: a new forge opens on it.
    const again = await createForge({ dataDir });
    await again.close();
  });
});
