import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per subpath export: heavy dependencies (sharp, ffmpeg, pdf.js, yauzl) stay behind
  // their own subpath and are imported lazily, so the package root loads none of them.
  entry: [
    'src/index.ts',
    'src/image/index.ts',
    'src/media/index.ts',
    'src/documents/index.ts',
    'src/archives/index.ts',
  ],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
