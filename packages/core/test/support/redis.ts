import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A Redis key prefix no other test uses. */
export const testPrefix = () => `fileforge-test-${randomBytes(6).toString('hex')}`;

/** Deletes every key under `prefix:` (SCAN + UNLINK; the rest of the shared Redis is untouched). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
