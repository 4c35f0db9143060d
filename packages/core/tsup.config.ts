import { defineConfig } from 'tsup';

export default defineConfig({
  // The classifier's training worker is an entry of its own: `train-thread.ts` starts it from
  // `dist/classifier/train-worker.js`, a file beside the bundle rather than evaluated source,
  // since it runs the real training code.
  entry: ['src/index.ts', 'src/testing/index.ts', 'src/storage/s3.ts', 'src/classifier/train-worker.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['vitest'],
  // kysely ships as ~280 ESM files; bundling the parts we use saves ~5 MB of resident memory
  // per process (measured by `npm run bench -- ingest`).
  noExternal: ['kysely'],
});
