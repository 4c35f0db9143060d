/**
 * Starts a multipart put into S3 and never finishes it: the S3 sweeper test SIGKILLs this
 * process mid-upload. Argument: JSON `{ endpoint, bucket, region, credentials, prefix, tempDir }`.
 * Prints `sent <bytes>` as the source hands over data.
 */
import { createS3BlobStore } from '@fileforge/core/storage/s3';

const options = JSON.parse(process.argv[2] ?? '{}');
const store = createS3BlobStore({ ...options, partSize: 5 * 1024 * 1024, queueSize: 1 });
setInterval(() => {}, 60_000); // alive until killed

async function* endless() {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  for (let sent = chunk.length; ; sent += chunk.length) {
    yield chunk;
    process.stdout.write(`sent ${sent}\n`);
    // Two parts' worth, then slowly: the test kills the process while the upload is open.
    if (sent >= 11 * 1024 * 1024) await new Promise((r) => setTimeout(r, 1000));
  }
}

store.put('t/killed', endless()).then(
  () => process.exit(1),
  (error) => {
    process.stderr.write(`put failed: ${error}\n`);
    process.exit(2);
  },
);
