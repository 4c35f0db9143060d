/**
 * SHUTDOWN_GRACE_MS is one grace period for everything in flight: a stop with a slow upload
 * and a long job at once takes about the grace, not the grace for the requests and then the
 * grace again for the jobs (which outlived supervisors' stop timeouts: Docker's
 * `stop_grace_period`, Kubernetes' `terminationGracePeriodSeconds`).
 */

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually, startTestServer } from './support/server.js';

const GRACE_MS = 3000;

describe('shutdown grace', () => {
  it('requests and jobs in flight share SHUTDOWN_GRACE_MS', { timeout: 60_000 }, async () => {
    let stepStarted = false;
    let stepAborted = false;
    const ts = await startTestServer(
      {
        shutdownGraceMs: GRACE_MS,
        workflows: {
          steps: [
            {
              name: 'test.wait',
              options: z.object({}),
              // Runs until the shutdown aborts it.
              run: ({ signal }) =>
                new Promise((resolve) => {
                  stepStarted = true;
                  signal.addEventListener('abort', () => {
                    stepAborted = true;
                    resolve({});
                  });
                }),
            },
          ],
        },
      },
      { shutdownGraceMs: GRACE_MS },
    );
    const workflow = await ts.forge.workflows.define({
      name: 'long',
      on: { manual: true },
      steps: { wait: { uses: 'test.wait' } },
    });
    await ts.forge.workflows.run(workflow.id);
    await eventually(() => (stepStarted ? true : undefined), 'the long step starts');

    // An upload whose body never ends: a request in flight for the whole grace.
    let sending!: () => void;
    const sent = new Promise<void>((resolve) => {
      sending = resolve;
    });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n',
          ),
        );
        sending();
      },
    });
    const upload = fetch(`${ts.url}/api/v1/files`, {
      method: 'POST',
      headers: { ...ts.authHeaders, 'Content-Type': 'multipart/form-data; boundary=b' },
      body,
      duplex: 'half',
    } as RequestInit);
    upload.catch(() => {});
    await sent;
    await new Promise((r) => setTimeout(r, 200));

    const start = performance.now();
    await ts.server.close();
    const took = performance.now() - start;
    // The upload held the server for the grace; the job got no second grace of its own.
    expect(took).toBeGreaterThanOrEqual(GRACE_MS - 100);
    expect(took).toBeLessThan(GRACE_MS + 2000);
    expect(stepAborted).toBe(true);
  });
});
