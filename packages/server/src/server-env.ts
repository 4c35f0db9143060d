import type { HttpBindings } from '@hono/node-server';

/** Hono environment of the reference server: Node bindings plus per-request variables. */
export interface ServerEnv {
  Bindings: HttpBindings;
  Variables: { requestId: string };
}
