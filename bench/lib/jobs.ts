import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A file to upload: where it is, what to call it and its declared type. */
export interface UploadFile {
  path: string;
  name: string;
  type: string;
}

/** The reference server's API, as the bench admin, for suites that run processing jobs. */
export interface JobsClient {
  /** Uploads the files, `perRequest` at a time; resolves with their ids in order. */
  upload(files: readonly UploadFile[], perRequest?: number): Promise<string[]>;
  /** Queues processing again for every id (202 each), `parallel` requests at a time. */
  reprocess(ids: readonly string[], parallel?: number): Promise<void>;
  /**
   * Waits until the queue has nothing pending or running and at least `jobs` jobs have ended;
   * resolves with how many ended `failed`.
   */
  finished(jobs: number, timeoutMs?: number): Promise<number>;
  /** `nodejs_heap_size_used_bytes` from `GET /metrics`, or undefined when it is not there. */
  heapUsed(): Promise<number | undefined>;
}

interface QueueCounts {
  pending: number;
  running: number;
  completed: number;
  failed: number;
}

async function ok(res: Response, what: string, status: number): Promise<Response> {
  if (res.status !== status)
    throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

/** Logs in as `email` / `password` and returns a client for the server at `url`. */
export async function jobsClient(url: string, email: string, password: string): Promise<JobsClient> {
  const login = await ok(
    await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    }),
    'POST /api/v1/auth/login',
    200,
  );
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = { Authorization: `Bearer ${accessToken}` };

  return {
    async upload(files, perRequest = 10) {
      const ids: string[] = [];
      for (let at = 0; at < files.length; at += perRequest) {
        const form = new FormData();
        for (const file of files.slice(at, at + perRequest)) {
          form.append('file', new File([await readFile(file.path)], file.name, { type: file.type }));
        }
        const res = await ok(
          await fetch(`${url}/api/v1/files`, { method: 'POST', headers, body: form }),
          'POST /api/v1/files',
          201,
        );
        ids.push(...((await res.json()) as { files: { id: string }[] }).files.map((f) => f.id));
      }
      return ids;
    },

    async reprocess(ids, parallel = 16) {
      let next = 0;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (next < ids.length) {
            const id = ids[next++];
            const res = await fetch(`${url}/api/v1/files/${id}/reprocess`, { method: 'POST', headers });
            await ok(res, `POST /api/v1/files/${id}/reprocess`, 202);
            await res.arrayBuffer();
          }
        }),
      );
    },

    async finished(jobs, timeoutMs = 30 * 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await fetch(`${url}/health/detailed`);
        const { queue } = ((await res.json()) as { components: { queue: QueueCounts } }).components;
        if (queue.pending + queue.running === 0 && queue.completed + queue.failed >= jobs)
          return queue.failed;
        if (Date.now() > deadline)
          throw new Error(`${jobs} jobs not finished within ${timeoutMs} ms: ${JSON.stringify(queue)}`);
        await sleep(250);
      }
    },

    async heapUsed() {
      const text = await (await fetch(`${url}/metrics`)).text();
      const match = /^nodejs_heap_size_used_bytes\s+([\d.e+]+)/m.exec(text);
      return match ? Number(match[1]) : undefined;
    },
  };
}
