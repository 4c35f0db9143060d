/**
 * A webhook receiver: verifies every FileForge delivery with the official Standard Webhooks
 * library (`standardwebhooks`) against the raw body, answers 204, and handles each
 * `webhook-id` once (FileForge retries with the same id).
 *
 *   WEBHOOK_SECRET=whsec_… PORT=4000 npm start -w examples/webhook-receiver
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, type WebhookUnbrandedRequiredHeaders, WebhookVerificationError } from 'standardwebhooks';

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error('Set WEBHOOK_SECRET to the whsec_… secret FileForge returned when you subscribed');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
/** FileForge keeps bodies under 20 KB; anything much larger is not one of its messages. */
const MAX_BODY_BYTES = 256 * 1024;

const webhook = new Webhook(secret);
/** Message ids already handled: a retry of a message we took is acknowledged, not handled again. */
const seen = new Set<string>();

/** The three Standard Webhooks headers, as the library wants them (one string each). */
function signatureHeaders(req: IncomingMessage): WebhookUnbrandedRequiredHeaders {
  const pick = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  };
  return {
    'webhook-id': pick('webhook-id'),
    'webhook-timestamp': pick('webhook-timestamp'),
    'webhook-signature': pick('webhook-signature'),
  };
}

const server = createServer((req, res) => {
  req.on('error', () => res.destroy());
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      res.writeHead(413, { connection: 'close' }).end();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    // Verify the exact bytes received: JSON parsed and serialised again would not verify.
    const raw = Buffer.concat(chunks);
    const headers = signatureHeaders(req);
    let message: { type?: string; data?: unknown };
    try {
      message = webhook.verify(raw, headers) as typeof message;
    } catch (error) {
      // A bad signature or timestamp is 401; a correctly signed body that is not JSON is 400.
      const status = error instanceof WebhookVerificationError ? 401 : 400;
      console.warn(`rejected ${headers['webhook-id'] || '(no id)'}: ${(error as Error).message}`);
      res.writeHead(status).end();
      return;
    }
    const id = headers['webhook-id'];
    if (seen.has(id)) {
      console.log(`duplicate ${id} (already handled)`);
    } else {
      seen.add(id);
      console.log(`received ${message.type} ${id} ${JSON.stringify(message.data)}`);
    }
    res.writeHead(204).end();
  });
});
server.on('error', (error) => {
  console.error(`webhook receiver: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`listening on http://${host}:${bound}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
