/**
 * A tiny webhook receiver: verifies every FileForge (Standard Webhooks) delivery with
 * `verifyWebhook` against the raw body, answers 204, and dedupes on `webhook-id`.
 *
 *   WEBHOOK_SECRET=whsec_… PORT=4000 npx tsx --conditions=@fileforge/source examples/webhook-receiver/main.ts
 */
import { createServer } from 'node:http';
import { verifyWebhook } from '@fileforge/integrations';

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error('Set WEBHOOK_SECRET to the whsec_… secret FileForge returned when you subscribed');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 4000);
/** Message ids already handled: a retry of a message we took is acknowledged, not handled again. */
const seen = new Set<string>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks); // the exact bytes: re-serialised JSON would not verify
    try {
      const message = verifyWebhook(secret, req.headers, raw);
      const id = String(req.headers['webhook-id']);
      if (!seen.has(id)) {
        seen.add(id);
        console.log(`${message.type} ${id}`, JSON.stringify(message.data));
      }
      res.writeHead(204).end();
    } catch (error) {
      console.warn('rejected:', (error as Error).message);
      res.writeHead(401).end();
    }
  });
});
server.listen(port, () => console.log(`listening on http://localhost:${port}/`));
