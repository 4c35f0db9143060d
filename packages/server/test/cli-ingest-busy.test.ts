/**
 * `fileforge ingest --url` honours backpressure (issue 14): while the server's processing
 * queue is full it is answered 503 BUSY with Retry-After, waits that long and sends the file
 * again, and the file is stored once when the queue has room.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Processor } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { killHard, spawnCli } from './support/child.js';
import { eventually, makeTempDir, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

describe('fileforge ingest against a busy server', () => {
  it('waits out 503 BUSY (Retry-After) and uploads the file once the queue has room', {
    timeout: 150_000,
  }, async () => {
    let unblock!: () => void;
    const gate = new Promise<void>((resolve) => {
      unblock = resolve;
    });
    const blocked: Processor = {
      name: 'blocked',
      mimeTypes: ['*/*'],
      async extractMetadata() {
        await gate;
        return {};
      },
    };
    // The first file's job must hold the queue however long the CLI takes to start: a cold
    // tsx start on a loaded machine can outlast the default 60 s processor time budget, which
    // would end the job and let the CLI in without a 503.
    const s = await startTestServer({ processors: [blocked], processorTimeoutMs: 600_000 } as never, {
      admission: { queueMaxDepth: 1, busyRetryAfterSeconds: 1 },
    });
    const form = new FormData();
    form.append('file', new Blob([randomBytes(1024)]), 'first.bin');
    expect((await s.api('/api/v1/files', { method: 'POST', body: form })).status).toBe(201);

    const inbox = await makeTempDir();
    const path = join(inbox, 'second.bin');
    await writeFile(path, randomBytes(4096));
    const apiKey = s.apiKey;
    const cli = spawnCli(['ingest', path, '--url', s.url, '--api-key', apiKey], { LOG_LEVEL: 'warn' });
    try {
      await eventually(
        () => {
          const { stdout, stderr } = cli.output();
          if (stderr.includes('BUSY; trying again in 1 s')) return true;
          // Ended without being told to wait: fail now, with what it printed.
          if (cli.child.exitCode !== null || cli.child.signalCode !== null)
            throw new Error(`ingest ended before any 503 BUSY:\n${stdout}\n${stderr}`);
          return undefined;
        },
        'ingest was told the server is busy',
        // A cold tsx start of the CLI takes seconds, many more on a loaded machine.
        { timeoutMs: 120_000 },
      );
      unblock();
      const code = await cli.exited;
      const { stdout, stderr } = cli.output();
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/second\.bin/);
      const { items } = (await (await s.api('/api/v1/files')).json()) as { items: Array<{ name: string }> };
      expect(items.map((f) => f.name).sort()).toEqual(['first.bin', 'second.bin']);
    } finally {
      unblock();
      await killHard(cli);
    }
  });
});
