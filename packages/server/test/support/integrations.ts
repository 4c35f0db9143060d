/**
 * Servers with the integrations (webhooks and connectors) wired exactly as `fileforge serve`
 * wires them — through `createIntegrationExtensions()` — plus a local webhook receiver that
 * checks every delivery with the official `standardwebhooks` library. The Slack fake is the
 * integrations package's own (`packages/integrations/test/fakes/slack.ts`), imported by path:
 * one fake, checked there against `@slack/web-api`, serves both packages' tests.
 *
 * @module
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import {
  createIntegrationExtensions,
  type IntegrationExtensions,
  type IntegrationExtensionsOptions,
} from '../../src/forge-extensions.js';
import { startTestServer, type TestServer } from './server.js';

export { createSlackFake, type SlackFake, slackFaults } from '../../../integrations/test/fakes/slack.js';

/** SECRET_KEY of the integration test servers. */
export const SECRET_KEY = 'fileforge-integrations-test-secret-key-0123456789';

/** A test server with its integrations. */
export interface IntegrationServer extends TestServer {
  integrations: IntegrationExtensions;
}

/**
 * Starts a test server (admin API key in `api`) whose forge and server get the integrations.
 * Loopback is allow-listed unless `allowedHosts` says otherwise; retries are compressed.
 */
export async function startIntegrationServer(
  options: Partial<IntegrationExtensionsOptions> = {},
): Promise<IntegrationServer> {
  const integrations = createIntegrationExtensions({
    secretKey: SECRET_KEY,
    allowedHosts: ['127.0.0.1'],
    ...options,
    webhooks: { retrySchedule: [100, 200], jitter: 0, pollIntervalMs: 50, ...options.webhooks },
    connectors: { ha: { retryDelayMs: 1, maxRetryDelayMs: 5, timeoutMs: 5_000 }, ...options.connectors },
  });
  const server = await startTestServer({ extensions: integrations.extensions }, { integrations });
  return Object.assign(server, { integrations });
}

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `standardwebhooks` verified it with one of `secrets`. */
  verified: boolean;
}

/** A webhook receiver on 127.0.0.1. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Secrets to verify with (any may match); add the one the API returns. */
  secrets: string[];
  /** Status to answer. @default 204 */
  status: number;
  close(): Promise<void>;
}

/** Starts a receiver that records and verifies every request. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], secrets: [], status: 204, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = receiver.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      receiver.received.push({ path: req.url ?? '/', headers: req.headers, body, verified });
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** A JSON request. */
export const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
