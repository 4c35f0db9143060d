/**
 * Child of upload-memory.test.ts: uploads `<mib>` MiB generated on the fly with the client's
 * default fetch and prints its peak `arrayBuffers` (sampled after a forced GC) as JSON.
 * Usage: node --expose-gc --import tsx upload-memory-child.ts <baseUrl> <apiKey> <mib>
 */
import { createClient } from '../../src/index.js';

const [baseUrl, apiKey, mibArg] = process.argv.slice(2);
const total = Number(mibArg) * 1024 * 1024;
const CHUNK = 64 * 1024;

async function* generated() {
  for (let sent = 0; sent < total; sent += CHUNK) {
    yield new Uint8Array(CHUNK).fill(sent & 255);
    // Let the sampler and the socket run.
    if ((sent / CHUNK) % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
let peak = 0;
const sampler = setInterval(() => {
  gc?.();
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
}, 50);
const client = createClient({ baseUrl: baseUrl!, apiKey: apiKey! });
const file = await client.files.upload(generated(), { name: 'big.bin', size: total });
clearInterval(sampler);
process.stdout.write(`${JSON.stringify({ size: file.size, peakArrayBuffers: peak })}\n`);
