import type { Logger } from 'pino';

/** Options for {@link createServer}. */
export interface ServerOptions {
  /** Most files accepted in one multipart request. @default 20 */
  maxFilesPerRequest?: number;
  /**
   * After refusing an upload, at most this many more body bytes are read (so the client
   * sees the response rather than a reset) before the connection is closed.
   * @default 1048576 (1 MiB)
   */
  refusalDrainBytes?: number;
  /** Where the server logs. @default pino at `info` */
  logger?: Logger;
  /** Reported by `/health`. @default the server package's version */
  version?: string;
  /** While this returns true, new uploads are refused with 503 `SHUTTING_DOWN` (set by `startServer` on close). */
  isDraining?: () => boolean;
}
