import { createRequire } from 'node:module';

/** The server package's version, as published. */
export const SERVER_VERSION: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
