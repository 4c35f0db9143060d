import type { FileForgeError } from '@fileforge/core';
import type { HttpBindings } from '@hono/node-server';
import type { Principal } from './auth/principal.js';
import type { AuditContext } from './middleware/audit.js';

/** Hono environment of the reference server: Node bindings plus per-request variables. */
export interface ServerEnv {
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    /** Who is calling, when valid credentials were presented. */
    principal?: Principal;
    /** Why presented credentials were refused (answered as 401 by routes that need them). */
    authError?: FileForgeError;
    /** Where the credential came from: cookies need a same-origin check on unsafe methods. */
    credentialSource?: 'header' | 'cookie';
    /** Where `audit(c, …)` appends (set by the audit middleware). */
    audit?: AuditContext;
  };
}
