/**
 * "In Node the body is streamed as the connection takes it (never held whole)": a 256 MiB
 * upload through the client's default fetch keeps its buffers small. Before, Node's `fetch`
 * kept every chunk of the streamed body until the response (nodejs/undici#4058): the upload
 * held its whole file in memory.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNode } from '../../server/test/support/child.js';
import { startTestServer, stopTestServers, type TestServer } from '../../server/test/support/server.js';
import { apiKeyOf } from './support/client-server.js';

const MiB = 1024 * 1024;
const CHILD = fileURLToPath(new URL('./support/upload-memory-child.ts', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxFileSize: 512 * MiB });
});
afterAll(stopTestServers);

describe('client.files.upload memory', () => {
  it('streams a 256 MiB upload with its buffers staying under 48 MiB', { timeout: 180_000 }, async () => {
    const child = spawnNode(
      [
        '--expose-gc',
        '--conditions=@fileforge/source',
        '--import',
        'tsx',
        CHILD,
        server.url,
        apiKeyOf(server),
        '256',
      ],
      {},
    );
    const code = await child.exited;
    const { stdout, stderr } = child.output();
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      size: number;
      peakArrayBuffers: number;
    };
    expect(result.size).toBe(256 * MiB);
    expect(result.peakArrayBuffers).toBeLessThan(48 * MiB);
  });
});
