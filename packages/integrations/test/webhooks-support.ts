/**
 * Shared machinery of the webhook tests: a local receiver on 127.0.0.1 that checks every
 * delivery with the official `standardwebhooks` library, and a real forge in a temp dir with
 * the `webhooks` extension.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, type Forge, type ForgeOptions } from '@fileforge/core';
import { Webhook } from 'standardwebhooks';
import { createWebhooksExtension, type WebhookServiceOptions, type WebhooksExtension } from '../src/index.js';

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `standardwebhooks` verified it with one of the receiver's secrets. */
  verified: boolean;
  /** `v1,…` entries of webhook-signature. */
  signatures: string[];
}

/** What the receiver answers. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Secrets to verify with (any may match). */
  secrets: string[];
  /** The answer to each request (default 204). */
  respond: (request: Received, index: number) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    secrets: [],
    respond: () => ({ status: 204 }),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = req.headers;
      let verified = false;
      for (const secret of receiver.secrets) {
        try {
          new Webhook(secret).verify(body, headers as Record<string, string>);
          verified = true;
        } catch {}
      }
      const signatures = String(headers['webhook-signature'] ?? '')
        .split(' ')
        .filter(Boolean);
      const request: Received = { path: req.url ?? '/', headers, body, verified, signatures };
      const index = receiver.received.push(request) - 1;
      const answer = receiver.respond(request, index);
      const send = () => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export const SECRET_KEY = 'test-secret-key-material-0123456789';

/** Options that make delivery fast and exact in tests. */
export const FAST: Partial<WebhookServiceOptions> = {
  retrySchedule: [60, 60, 60, 60, 60, 60, 60],
  jitter: 0,
  pollIntervalMs: 15,
  allowedHosts: ['127.0.0.1'],
};

export interface TestForge {
  forge: Forge;
  hooks: WebhooksExtension;
  dataDir: string;
  close(): Promise<void>;
}

/** A real forge in `dataDir` (a new temp dir by default) with the webhooks extension. */
export async function openForge(
  options: Partial<WebhookServiceOptions> = {},
  forgeOptions: ForgeOptions & { dataDir?: string } = {},
): Promise<TestForge> {
  const dataDir = forgeOptions.dataDir ?? (await mkdtemp(join(tmpdir(), 'ff-webhooks-')));
  const hooks = createWebhooksExtension({ secretKey: SECRET_KEY, ...FAST, ...options });
  const forge = await createForge({ ...forgeOptions, dataDir, extensions: [hooks] });
  return { forge, hooks, dataDir, close: () => forge.close() };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A clock tests move by hand. */
export function fakeClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

/** Polls `check` every 10 ms until it holds; throws after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
