/**
 * The FileForge HTTP API as TypeScript types, generated from the server's OpenAPI document
 * by openapi-typescript. Do not edit: run `npm run client:types` after changing a route.
 * @module
 */

export interface paths {
  '/': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Files (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/account/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Change password (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit log (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/backups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Backups (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** System health (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** API keys (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the API keys of your tenant (never their secrets) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description API keys */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['ApiKey'][];
            };
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create an API key; its secret is shown in this response only */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewApiKey'];
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreatedApiKey'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read the audit trail, newest first (admins)
     * @description Who did what in your tenant: logins (also failed ones), uploads, downloads, deletes, rule, workflow, connector, webhook, API key and user changes. Each entry carries the hash of the one before (`prevHash`), so an edit breaks the chain: `fileforge audit verify` checks it. Admins of the `default` tenant also see installation-wide entries (`tenant: null`: logins that named no tenant, key rotation). Filters combine with AND; page with `cursor` = the previous `nextCursor`.
     */
    get: {
      parameters: {
        query?: {
          /** @description An action (auth.login, auth.login_failed, auth.logout, file.upload, file.upload_rejected, file.download, file.integrity_failed, file.delete, sorter.rule_put, sorter.rule_delete, workflow.put, workflow.delete, integration.connect, integration.disconnect, webhook.create, webhook.update, webhook.delete, webhook.rotate, key.create, key.revoke, user.create, user.update, user.delete, user.password, encryption.key_rotate, backup.create, backup.download, backup.restore, tenant.quota) or a prefix such as `auth.*` */
          action?: string;
          /** @description The acting user id or API key id (for `cli` entries, the operating-system user) */
          actor?: string;
          /** @description `nextCursor` of the previous page */
          cursor?: string;
          limit?: number;
          /** @description Entries at or after this time (ISO 8601) */
          since?: string;
          targetId?: string;
          /** @description `file`, `user`, `api_key`, `rule`… */
          targetType?: string;
          /** @description Entries before this time (ISO 8601) */
          until?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of entries */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['AuditEntry'][];
              nextCursor: string | null;
            };
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Log in with email and password
     * @description Returns a short-lived access token (JWT) and a refresh token. With `session: "cookie"` (the web page) both are set as HttpOnly cookies instead. An email may hold accounts in several tenants: without `tenant`, the account the password opens is used, and when it opens several the answer is 409 `TENANT_REQUIRED` with `details.tenants`. After repeated failures the email is locked for a doubling time (429 `RATE_LIMITED`, `Retry-After`); when too many password checks are in flight the answer is 503 `BUSY` (`Retry-After`).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['Credentials'];
        };
      };
      responses: {
        /** @description Logged in */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Session'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke the session a refresh token belongs to */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['RefreshRequest'];
        };
      };
      responses: {
        /** @description Logged out */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who am I */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The caller */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {string} */
              kind: 'user' | 'api_key';
              role: string;
              tenant: string;
              user: components['schemas']['User'] & (Record<string, never> | null);
            };
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Change your own password
     * @description A signed-in user changes their password by giving the current one (an API key may not: 403 `FORBIDDEN`, it would open a full session of its owner). Every session of the account ends (refresh tokens revoked) and a new session is returned, as at login; a wrong current password is 400 `VALIDATION_FAILED` on `currentPassword` and counts as a wrong login of the account (429 `RATE_LIMITED` while it is locked out).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['PasswordChange'];
        };
      };
      responses: {
        /** @description Password changed; a fresh session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Session'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Exchange a refresh token for a new session (the old token is spent) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['RefreshRequest'];
        };
      };
      responses: {
        /** @description A new session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Session'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/backups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List backup archives, newest first, with the command that restores each */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The archives */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BackupList'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /**
     * Make a backup now (answers when the archive is complete)
     * @description Writes one archive like `fileforge backup` (the catalog, every stored file and derivative, a signed manifest), audited as `backup.create`. One at a time: 409 `CONFLICT` while another runs.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The archive written */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BackupCreated'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/backups/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download a backup archive (audited as `backup.download`) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The archive */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/gzip': string;
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/classifier/train': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Retrain the classifier now from the confirmed and corrected labels */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The new model (409 CONFLICT while there are no labels) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ClassifierModelSummary'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live file events (server-sent events) of your tenant
     * @description A `text/event-stream`: first `event: ready`, then one event per file change — `event:` is the type (`file.uploaded`, `file.processed`, `file.failed`, `file.classified`, `file.sorted`, `file.deleted`), `id:` its event id, `data:` JSON `{ eventId, type, timestamp, file: { id, name, status, mime, typeFamily, size, category, path, error, updatedAt } }` — and a `: ping` comment every heartbeat. Events are not replayed: after a reconnect, load the list again.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The event stream */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/event-stream': string;
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List, filter, sort and search files (newest first by default)
     * @description Filters combine (all must hold). With `q` the list is a full-text search, ranked by relevance unless `sort` is given, and each item carries the `match` it was found by. Follow `nextCursor` (with the same `sort` and `order`) to reach every file.
     */
    get: {
      parameters: {
        query?: {
          category?: string;
          /** @description Created at or after (ISO 8601 date or date-time; a date means its start, UTC) */
          createdFrom?: string;
          /** @description Created at or before (ISO 8601 date or date-time; a date means its end, UTC) */
          createdTo?: string;
          /** @description `nextCursor` of the previous page, with the same `sort` and `order` */
          cursor?: string;
          /** @description Files whose sorted path lies under this folder (`invoices/2026`) */
          folder?: string;
          limit?: number;
          mime?: string;
          name?: string;
          /** @description Default `desc` (newest, largest, best first), `asc` for `name` */
          order?: 'asc' | 'desc';
          /** @description Full-text search over names, extracted text and document metadata (title, author, EXIF, media tags). Every word must occur; the last may be the start of a word. Results are ranked (unless `sort` says otherwise) and each item carries a `match` with the snippet */
          q?: string;
          /** @description `relevance` (needs `q`; the default with it), else `created` (the default) */
          sort?: 'relevance' | 'name' | 'size' | 'created' | 'updated';
          status?: 'pending' | 'processing' | 'processed' | 'failed' | 'rejected';
          /** @description Type family of the detected type (`other`: none of the others) */
          type?: 'image' | 'video' | 'audio' | 'document' | 'archive' | 'other';
          /** @description Uploaded by this user, or through this API key (an id) */
          uploader?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of files */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['FileList'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /**
     * Upload files (multipart/form-data, streamed)
     * @description Each file part is stored as it arrives. MAX_FILE_SIZE applies per file; a refused file ends the request and files before it in the same request stay stored (listed in `details.stored`). Refused before any byte is stored: 503 `BUSY` (with `Retry-After`) while the processing queue is over QUEUE_MAX_DEPTH, and 413 `QUOTA_EXCEEDED` when the request (its Content-Length, or its running count without one) would take the tenant past its quota.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: a repeat with the same key and the same file contents (within 24 hours) is answered with the first response (`Idempotent-Replayed: true`) and stores nothing; the same key with different contents is 422 `IDEMPOTENCY_KEY_REUSED`; while the first request is still running, 409 `CONFLICT`. Keys are per user (or API key). 1 to 255 visible ASCII characters. */
          'idempotency-key'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'multipart/form-data': {
            file: string[];
          };
        };
      };
      responses: {
        /** @description Stored; processing follows */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              files: components['schemas']['File'][];
            };
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: REQUEST_TIMEOUT */
        408: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONTENT_REJECTED, WORKFLOW_INVALID, WEBHOOK_URL_FORBIDDEN, INTEGRATION_REJECTED, IDEMPOTENCY_KEY_REUSED, BACKUP_INVALID */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: INSUFFICIENT_STORAGE */
        507: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get one file record */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file record */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['File'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a file, its derivatives and its blob (unless shared) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/{id}/classification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A file’s category, who decided it (rule, model or person) and why */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The classification */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Classification'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Confirm or correct a file’s category (a label the classifier learns from) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ClassificationCorrection'];
        };
      };
      responses: {
        /** @description The classification, decided by you */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Classification'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/{id}/derivatives': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the derivatives (thumbnails, previews, …) of a file */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The derivatives */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Derivative'][];
            };
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/{id}/derivatives/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download a derivative */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The derivative bytes */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description The requested byte range */
        206: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description Not modified (If-None-Match matched the ETag) */
        304: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RANGE_NOT_SATISFIABLE */
        416: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/{id}/download': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download the original bytes */
    get: {
      parameters: {
        query?: {
          inline?: '0' | '1';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The original bytes */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description The requested byte range */
        206: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description Not modified (If-None-Match matched the ETag) */
        304: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RANGE_NOT_SATISFIABLE */
        416: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    /** Headers of the download */
    head: {
      parameters: {
        query?: {
          inline?: '0' | '1';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The original bytes */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description The requested byte range */
        206: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description Not modified (If-None-Match matched the ETag) */
        304: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RANGE_NOT_SATISFIABLE */
        416: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A file’s history: events, workflow runs and (admins) audit entries */
    get: {
      parameters: {
        query?: {
          /** @description At most this many of each kind (the latest) */
          limit?: number;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The history */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['FileHistory'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/{id}/reprocess': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run processing again (e.g. after new processors were added) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Processing was queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['File'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/bulk': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Delete, reprocess, move or re-categorise many files at once
     * @description Answers 200 with one result per id, in order: `ok`, the `status` the single-file route would have given, and its `error` code. `move` needs `path` (a folder of the sorted tree; the files keep their names) and runs as one undoable sort run; `categorize` needs `category`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['BulkRequest'];
        };
      };
      responses: {
        /** @description What happened to each file */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BulkResult'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/folders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Browse the sorted tree: the sub-folders and files at one level */
    get: {
      parameters: {
        query?: {
          /** @description `nextCursor` of the previous page */
          cursor?: string;
          limit?: number;
          path?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One page of the folder */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['FolderListing'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** All seven connectors: connected or not, circuit state, region */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The connectors */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['IntegrationSummary'][];
            };
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/{slug}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect: forget the stored credentials (idempotent) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          slug: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Disconnected (or was not connected) */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/{slug}/actions/{action}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run a connector action (the same as the workflow step `connector.<slug>.<action>`) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          action: string;
          slug: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['IntegrationActionCall'];
        };
      };
      responses: {
        /** @description The result (`success` says how it went) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IntegrationResult'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/{slug}/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Circuit state and counters, endpoint health, region, last error, credential fields set, actions */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          slug: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The status */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IntegrationStatus'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/{slug}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Test the stored credentials against the vendor */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          slug: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The result (`success` says how it went) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IntegrationResult'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/connect/{slug}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Connect a connector: credentials are validated, tested, stored encrypted and never echoed
     * @description The body is the connector's credentials object (camelCase field names; the seed guide's snake_case spellings such as `client_id` or `bot_token` are accepted too). `?` marks optional fields; see docs/integrations.md for each one:
     *
     *     - `salesforce`: authMode?, clientId, clientSecret?, instanceUrl?, loginUrl?, audience?, username?, privateKey?, apiVersion?
     *     - `dynamics`: tenantId, clientId, clientSecret?, certificatePrivateKey?, certificateThumbprint?, orgUrl, authorityUrl?
     *     - `docusign`: integrationKey, userId, privateKey, accountId?, authServer?, redirectUri?
     *     - `slack`: botToken
     *     - `teams`: tenantId, clientId, clientSecret?, certificatePrivateKey?, certificateThumbprint?, refreshToken?, authorityUrl?, graphUrl?
     *     - `sap`: baseUrl, username, password, sapClient?
     *     - `oracle`: authMode?, username?, privateKey?, certificateAlias?, baseUrl, identityDomainUrl, clientId, clientSecret, scope, apiVersion?
     */
    post: {
      parameters: {
        query?: {
          /** @description Test the credentials against the vendor before storing them (default true) */
          test?: 'true' | 'false';
        };
        header?: never;
        path: {
          slug: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      responses: {
        /** @description Reconnected: the new credentials replaced the old */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IntegrationStatus'];
          };
        };
        /** @description Connected */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IntegrationStatus'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONTENT_REJECTED, WORKFLOW_INVALID, WEBHOOK_URL_FORBIDDEN, INTEGRATION_REJECTED, IDEMPOTENCY_KEY_REUSED, BACKUP_INVALID */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UPSTREAM_ERROR */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: TIMEOUT */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the webhook subscriptions, oldest first (paginated) */
    get: {
      parameters: {
        query?: {
          /** @description `nextCursor` of the previous page */
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of subscriptions */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['WebhookSubscription'][];
              nextCursor: string | null;
            };
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Subscribe a URL to events; the answer carries the signing secret, shown this once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['WebhookCreate'];
        };
      };
      responses: {
        /** @description Created, with its secret */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookWithSecret'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONTENT_REJECTED, WORKFLOW_INVALID, WEBHOOK_URL_FORBIDDEN, INTEGRATION_REJECTED, IDEMPOTENCY_KEY_REUSED, BACKUP_INVALID */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get one webhook subscription */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The subscription */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookSubscription'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a subscription and its delivery history (pending attempts are dropped) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a subscription’s name, URL, events or enabled flag */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['WebhookPatch'];
        };
      };
      responses: {
        /** @description Changed */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookSubscription'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONTENT_REJECTED, WORKFLOW_INVALID, WEBHOOK_URL_FORBIDDEN, INTEGRATION_REJECTED, IDEMPOTENCY_KEY_REUSED, BACKUP_INVALID */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/integrations/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The delivery history: every attempt, newest first, optionally of one status (paginated) */
    get: {
      parameters: {
        query?: {
          /** @description `nextCursor` of the previous page */
          cursor?: string;
          limit?: number;
          status?: 'pending' | 'succeeded' | 'failed';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of attempts */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['WebhookAttempt'][];
              nextCursor: string | null;
            };
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/webhooks/{id}/deliveries/{attemptId}/resend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send an attempt’s message again now (a new `manual` attempt, same `webhook-id`) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          attemptId: string;
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The new attempt */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookAttempt'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/webhooks/{id}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new signing secret, shown this once; the previous one keeps signing too for 24 h */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The subscription with its new secret */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookWithSecret'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/integrations/webhooks/{id}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a signed `webhook.test` message now; answers with the attempt (succeeded or failed) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The attempt */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookAttempt'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Files the classifier was unsure of, waiting for a person */
    get: {
      parameters: {
        query?: {
          /** @description `nextCursor` of the previous page */
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of files in review */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['FileList'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/setup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether the one-time setup is still open */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Setup state */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              needed: boolean;
            };
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create the first admin (only while no user exists) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['SetupRequest'];
        };
      };
      responses: {
        /** @description The first admin */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sorter/rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the sorting rules, in the order they are tried */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The rules */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Rule'][];
            };
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create a rule (JSON or YAML); its `id` names it from then on */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['Rule'];
          'application/x-yaml': string;
          'application/yaml': string;
          'text/x-yaml': string;
          'text/yaml': string;
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Rule'] & (Record<string, never> | null);
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sorter/rules/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get one rule */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The rule */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Rule'] & (Record<string, never> | null);
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Replace a rule (JSON or YAML); the body’s `id` must be the one in the path */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['Rule'];
          'application/x-yaml': string;
          'application/yaml': string;
          'text/x-yaml': string;
          'text/yaml': string;
        };
      };
      responses: {
        /** @description Replaced */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Rule'] & (Record<string, never> | null);
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Delete a rule (files it sorted stay where they are) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sorter/rules/schema': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The JSON Schema of a sorting rule (for editors and validators) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description JSON Schema, draft 2020-12 */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sorter/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List sort runs, newest first */
    get: {
      parameters: {
        query?: {
          /** @description `nextCursor` of the previous page */
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of runs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SortRunList'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /**
     * Apply a sort: move each file once, journaled, and answer the run (undo it by its id)
     * @description A move that fails midway (something the catalog does not know in the way on disk; a file of the tree where a destination needs a folder is planned as a skip) stops the run: 409 `CONFLICT` whose `details` name the run (`runId`, `runStatus: partial`, `moved`) and the path in the way; the moves before it stand and the run can be undone. `fileIds` naming a missing or another tenant's file: 404.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The files to sort; default: every processed file of the tenant */
            fileIds?: string[];
            /** @description Rules to use instead of the saved ones (see the Rule schema) */
            rules?: unknown[];
          };
        };
      };
      responses: {
        /** @description The run */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SortRun'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sorter/runs/{runId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One sort run with its moves */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The run */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SortRun'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sorter/runs/{runId}/undo': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Move every file of a run back; stops at a file changed since, and reports it */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The run after the undo */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SortRunUndone'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sorter/simulate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Plan a sort without changing anything: for each file, from, to, rule and reason */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The files to sort; default: every processed file of the tenant */
            fileIds?: string[];
            /** @description Rules to use instead of the saved ones (see the Rule schema) */
            rules?: unknown[];
          };
        };
      };
      responses: {
        /** @description The plan */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SortPlan'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/current/quota': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Set your tenant's quota (admin)
     * @description Uploads that would take the tenant past it are refused with 413 `QUOTA_EXCEEDED` before their bytes are stored. Lowering it below current usage removes nothing; further uploads are refused. Both limits `null` removes the quota.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['TenantQuota'];
        };
      };
      responses: {
        /** @description The quota is set; usage as it now stands */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantUsage'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/current/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your tenant's storage use and quota */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Usage */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantUsage'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a resumable upload (tus creation, creation-with-upload)
     * @description Declares `Upload-Length` (required; deferred length is not supported) and optional `Upload-Metadata` (`filename`, `filetype`, base64). An `Upload-Length` over MAX_FILE_SIZE is refused with 413 `FILE_TOO_LARGE` before anything is stored. A body with `Content-Type: application/offset+octet-stream` is the first chunk. Unfinished uploads expire after UPLOAD_EXPIRY_HOURS.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          /** @description tus protocol version; anything else → 412 */
          'tus-resumable': '1.0.0';
          /** @description Optional `sha256 <base64 digest>` of this request's body (checksum extension): a mismatch → 460 and nothing of the chunk is kept */
          'upload-checksum'?: string;
          /** @description Total size in bytes */
          'upload-length': string;
          /** @description Comma-separated `key base64(value)` pairs: `filename`, `filetype` */
          'upload-metadata'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Created; `Location` is the upload URL. If the body completed the upload, `FileForge-File-Id` names the file. */
        201: {
          headers: {
            /** @description The file the upload became, when this request completed it */
            'FileForge-File-Id'?: string;
            /** @description `/api/v1/uploads/{id}` */
            Location?: string;
            /** @description Always `1.0.0` */
            'Tus-Resumable'?: string;
            /** @description RFC 7231 date the unfinished upload expires */
            'Upload-Expires'?: string;
            /** @description Bytes stored (with a body) */
            'Upload-Offset'?: number;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: TUS_VERSION_UNSUPPORTED */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CHECKSUM_MISMATCH */
        460: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: INSUFFICIENT_STORAGE */
        507: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    /** tus discovery: versions, extensions, maximum size */
    options: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description What this server supports */
        204: {
          headers: {
            /** @description `sha256` */
            'Tus-Checksum-Algorithm'?: string;
            /** @description `creation,creation-with-upload,termination,expiration,checksum` */
            'Tus-Extension'?: string;
            /** @description MAX_FILE_SIZE */
            'Tus-Max-Size'?: number;
            /** @description `1.0.0` */
            'Tus-Version'?: string;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/uploads/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Status of a resumable upload (JSON) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The upload */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['UploadStatus'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Terminate a resumable upload (its staged bytes are removed; a completed upload's file stays) */
    delete: {
      parameters: {
        query?: never;
        header: {
          /** @description tus protocol version; anything else → 412 */
          'tus-resumable': '1.0.0';
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Terminated */
        204: {
          headers: {
            /** @description Always `1.0.0` */
            'Tus-Resumable'?: string;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: TUS_VERSION_UNSUPPORTED */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UPLOAD_LOCKED */
        423: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    /** Where a resumable upload stands (resume from Upload-Offset) */
    head: {
      parameters: {
        query?: never;
        header: {
          /** @description tus protocol version; anything else → 412 */
          'tus-resumable': '1.0.0';
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The upload (another tenant's id is 404) */
        200: {
          headers: {
            /** @description `no-store` */
            'Cache-Control'?: string;
            /** @description Once complete: the file it became */
            'FileForge-File-Id'?: string;
            /** @description Always `1.0.0` */
            'Tus-Resumable'?: string;
            /** @description Declared length */
            'Upload-Length'?: number;
            /** @description As sent at creation */
            'Upload-Metadata'?: string;
            /** @description Bytes received */
            'Upload-Offset'?: number;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UPLOAD_EXPIRED */
        410: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: TUS_VERSION_UNSUPPORTED */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UPLOAD_LOCKED */
        423: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /**
     * Append a chunk to a resumable upload
     * @description Body `application/offset+octet-stream` starting at `Upload-Offset`. A wrong offset → 409 `OFFSET_MISMATCH`; another request writing to the same upload → 423 `UPLOAD_LOCKED` (retry); a checksum mismatch → 460 `CHECKSUM_MISMATCH` with the offset unchanged; expired → 410. When the last byte lands the upload becomes a file (type detection, size cap, dedupe, record, events, processing, as `POST /api/v1/files`) and the answer carries `FileForge-File-Id`.
     */
    patch: {
      parameters: {
        query?: never;
        header: {
          /** @description `application/offset+octet-stream` */
          'content-type': string;
          /** @description tus protocol version; anything else → 412 */
          'tus-resumable': '1.0.0';
          /** @description Optional `sha256 <base64 digest>` of this request's body (checksum extension): a mismatch → 460 and nothing of the chunk is kept */
          'upload-checksum'?: string;
          /** @description Where this chunk starts */
          'upload-offset': string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Stored */
        204: {
          headers: {
            /** @description On the request that completed the upload */
            'FileForge-File-Id'?: string;
            /** @description Always `1.0.0` */
            'Tus-Resumable'?: string;
            /** @description While unfinished */
            'Upload-Expires'?: string;
            /** @description The new offset */
            'Upload-Offset'?: number;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UPLOAD_EXPIRED */
        410: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: TUS_VERSION_UNSUPPORTED */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UPLOAD_LOCKED */
        423: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CHECKSUM_MISMATCH */
        460: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: INSUFFICIENT_STORAGE */
        507: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the users of your tenant */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Users */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['User'][];
            };
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create a user in your tenant */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewUser'];
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete a user (their files stay) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /**
     * Change a user’s role, password or disabled flag
     * @description An admin may not demote or disable themselves, nor set their own password here (409 `CONFLICT`): that is `POST /api/v1/auth/password`, which asks for the current one.
     */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['UserPatch'];
        };
      };
      responses: {
        /** @description Updated */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CIRCUIT_OPEN, NO_HEALTHY_ENDPOINT, STORAGE_UNAVAILABLE, CATALOG_UNAVAILABLE, QUEUE_UNAVAILABLE, LOCKS_UNAVAILABLE, SHUTTING_DOWN, BUSY */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/watch/rescan': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Scan the watched folders now */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description What the scan did */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WatchRescan'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the workflows */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The workflows */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Workflow'][];
            };
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Save a workflow (JSON or YAML), linted first; the answer carries its id */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['WorkflowDefinition'];
          'application/x-yaml': string;
          'application/yaml': string;
          'text/x-yaml': string;
          'text/yaml': string;
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Workflow'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONTENT_REJECTED, WORKFLOW_INVALID, WEBHOOK_URL_FORBIDDEN, INTEGRATION_REJECTED, IDEMPOTENCY_KEY_REUSED, BACKUP_INVALID */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get one workflow */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The workflow */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Workflow'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Replace a workflow’s definition (linted first); runs under way keep their steps and read each step’s settings from it as the step starts */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['WorkflowDefinition'];
          'application/x-yaml': string;
          'application/yaml': string;
          'text/x-yaml': string;
          'text/yaml': string;
        };
      };
      responses: {
        /** @description Replaced */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Workflow'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONTENT_REJECTED, WORKFLOW_INVALID, WEBHOOK_URL_FORBIDDEN, INTEGRATION_REJECTED, IDEMPOTENCY_KEY_REUSED, BACKUP_INVALID */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Delete a workflow and its run history */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a workflow’s runs, newest first */
    get: {
      parameters: {
        query?: {
          /** @description `nextCursor` of the previous page */
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of runs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WorkflowRunList'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Start a run now (manual trigger); follow it at the Location */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['StartWorkflowRun'];
        };
      };
      responses: {
        /** @description The run, queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WorkflowRun'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}/runs/{runId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One run with its step timeline (status, attempts, times, output or error per step) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The run */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WorkflowRun'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}/runs/{runId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel a run; steps under way are aborted, pending ones never start */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The run */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WorkflowRun'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}/runs/{runId}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Retry a failed run from its failed step (completed steps are not run again) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The run, queued again */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WorkflowRun'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: NOT_FOUND, WATCH_NOT_CONFIGURED, INTEGRATIONS_NOT_CONFIGURED */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: CONFLICT, FILE_DAMAGED, TENANT_REQUIRED, INTEGRATION_NOT_CONNECTED, OFFSET_MISMATCH */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/lint': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Lint a definition without saving it */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['WorkflowDefinition'];
          'application/x-yaml': string;
          'application/yaml': string;
          'text/x-yaml': string;
          'text/yaml': string;
        };
      };
      responses: {
        /** @description The problems found (none when ok) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WorkflowLintResult'];
          };
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNAUTHENTICATED */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: FORBIDDEN */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: MULTIPART_LIMIT, REQUEST_TOO_LARGE, FILE_TOO_LARGE, QUOTA_EXCEEDED */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: UNSUPPORTED_MEDIA_TYPE */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: RATE_LIMITED, TOO_MANY_CONNECTIONS */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error: KEY_UNAVAILABLE, BLOB_INTEGRITY_FAILED, INVALID_CONFIG, PROCESSOR_FAILED, PROCESSOR_TIMEOUT, INTERNAL */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/assets/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The web UI’s stylesheet and scripts */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/docs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Interactive API reference */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Swagger UI */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/docs/assets/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Swagger UI assets (from the swagger-ui-dist package) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          file: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A static asset */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error: VALIDATION_FAILED, BAD_REQUEST, INVALID_FILENAME, UPLOAD_ABORTED, ABORTED */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description No such asset */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/files/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** File (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/folders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Folders (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The process serves requests */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Health'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/detailed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Component latencies, free disk, queue and request counters */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Healthy */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['HealthDetailed'];
          };
        };
        /** @description A component is unhealthy */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['HealthDetailed'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/integrations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Integrations (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/integrations/{slug}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Integration (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          slug: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Prometheus text format */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/plain': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OpenAPI 3.1 */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': Record<string, never>;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: start-up has finished and the catalog and storage answer (Redis reported) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Ready */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Readiness'];
          };
        };
        /** @description Not ready */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Readiness'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Review queue (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Rules (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Webhooks (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Webhook (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/workflows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Workflows (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/workflows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Workflow (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/workflows/{id}/runs/{runId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Workflow run (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/workflows/new': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** New workflow (web UI) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The page; the sign-in (or first-admin setup) page without a session */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description The role may not open this page */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
        /** @description No such item */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/html': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    ApiKey: {
      createdAt: string;
      id: string;
      lastUsedAt: string | null;
      name: string;
      revokedAt: string | null;
      /** @enum {string} */
      role: 'admin' | 'editor' | 'viewer';
      tenant: string;
      userId: string;
    };
    AuditEntry: {
      action: string;
      actor: {
        id: string | null;
        /** @enum {string} */
        type: 'user' | 'api_key' | 'cli' | 'system' | 'anonymous';
      };
      at: string;
      clientAddress: string | null;
      details: {
        [key: string]: unknown;
      };
      hash: string;
      prevHash: string;
      requestId: string | null;
      seq: number;
      target: {
        id: string | null;
        name: string | null;
        type: string | null;
      };
      tenant: string | null;
    };
    Backup: {
      bytes: number;
      createdAt: string;
      links: {
        download: string;
      };
      /** @example fileforge-backup-20261129T020000123Z-a1b2c3.tar.gz */
      name: string;
      /**
       * @description What restores it, on the server machine with the server stopped
       * @example fileforge restore /var/lib/fileforge/backups/fileforge-backup-….tar.gz
       */
      restoreCommand: string;
    };
    BackupCreated: components['schemas']['Backup'] & {
      /** @description Blob keys whose bytes no longer match (run `fileforge fsck`) */
      damaged: string[];
      /** @description Blob keys the catalog references that were not in the store */
      missing: string[];
      objects: number;
      /** @description Blob keys the store could not read (an encrypted blob failing authentication, a read error): not in the backup, missing after a restore */
      unreadable: string[];
    };
    BackupList: {
      dir: string;
      /** @description Newest first */
      items: components['schemas']['Backup'][];
    };
    BulkItem: {
      error?: {
        code: string;
        message: string;
      };
      file?: components['schemas']['File'] & unknown;
      id: string;
      ok: boolean;
      /** @description The HTTP status the single-file route would have answered */
      status: number;
    };
    BulkRequest: {
      /** @enum {string} */
      action: 'delete' | 'reprocess' | 'move' | 'categorize';
      /** @description `categorize`: the category */
      category?: string;
      ids: string[];
      /** @description `move`: the folder to move the files into */
      path?: string;
    };
    BulkResult: {
      /** @enum {string} */
      action: 'delete' | 'reprocess' | 'move' | 'categorize';
      failed: number;
      /** @description One per id, in the order given */
      results: components['schemas']['BulkItem'][];
      succeeded: number;
    };
    Classification: {
      category: string | null;
      decidedAt: string;
      decidedBy: {
        /** @enum {string} */
        kind: 'rule' | 'model' | 'person';
        ruleId?: string;
        score?: number;
        threshold?: number;
        userId?: string;
      } | null;
      /** @description Readable account of the decision: rules tried, conditions and words matched, score */
      explanation?: unknown;
      /** @enum {string} */
      status: 'unclassified' | 'decided' | 'review';
    } | null;
    ClassificationCorrection: {
      category: string;
    };
    ClassifierModelSummary: {
      categories: string[];
      labelCount: number;
      trainedAt: string;
    };
    CreatedApiKey: components['schemas']['ApiKey'] & {
      /**
       * @description The secret: shown once, never again
       * @example ff_abcd…_…
       */
      key: string;
    };
    Credentials: {
      /** Format: email */
      email: string;
      /** @description At most 72 bytes can ever match (bcrypt’s limit); a longer one is a wrong password */
      password: string;
      /**
       * @default token
       * @enum {string}
       */
      session?: 'token' | 'cookie';
      /**
       * @description The tenant whose account to open. Needed only when the email and password open accounts in several tenants (409 TENANT_REQUIRED lists them)
       * @example default
       */
      tenant?: string;
    };
    Derivative: {
      createdAt: string;
      fileId: string;
      height: number | null;
      kind: string;
      links: {
        download: string;
      };
      mime: string;
      name: string;
      sha256: string;
      size: number;
      width: number | null;
    };
    Error: {
      error: {
        /** @example NOT_FOUND */
        code: string;
        details?: {
          [key: string]: unknown;
        };
        message: string;
        requestId?: string;
      };
    };
    File: {
      /** @description The API key the file was uploaded through, if any */
      apiKeyId: string | null;
      category: string | null;
      classification: components['schemas']['Classification'];
      createdAt: string;
      damaged: components['schemas']['FileDamage'];
      declaredMime: string | null;
      duplicateOf: string | null;
      error: {
        code: string;
        details?: {
          [key: string]: unknown;
        };
        message: string;
      } | null;
      ext: string;
      id: string;
      links: {
        derivatives: string;
        download: string;
        self: string;
      };
      metadata: {
        [key: string]: unknown;
      };
      /** @description Detected from the bytes, never from the name or the header */
      mime: string;
      name: string;
      ownerId: string | null;
      /** @description Its place in the sorted tree (`invoices/2026/11/report.pdf`); null while not sorted */
      path: string | null;
      sha256: string;
      size: number;
      /** @enum {string} */
      status: 'pending' | 'processing' | 'processed' | 'failed' | 'rejected';
      tenant: string;
      /**
       * @description The coarse kind of the detected type
       * @enum {string}
       */
      typeFamily: 'image' | 'video' | 'audio' | 'document' | 'archive' | 'other';
      typeMismatch: boolean;
      updatedAt: string;
    };
    /** @description Set by `fileforge fsck --repair` when the stored content is missing or no longer matches `sha256`: the file is never served as good data (download answers 409 `FILE_DAMAGED`). Null when sound */
    FileDamage: {
      /** @description When the damage was found (ISO 8601) */
      at: string;
      /**
       * @description `blob_missing` (the stored content is gone) or `sha256_mismatch` (it changed)
       * @example sha256_mismatch
       */
      reason: string;
    } | null;
    FileHistory: {
      /** @description Newest first (downloads, deletion attempts, …); `null` unless the caller may read the audit trail (admins) */
      audit: components['schemas']['FileHistoryAudit'][] | null;
      /** @description Oldest first */
      events: components['schemas']['FileHistoryEvent'][];
      /** @description Newest first, with their steps */
      workflowRuns: components['schemas']['WorkflowRun'][];
    };
    FileHistoryAudit: {
      action: string;
      actor: {
        id: string | null;
        type: string;
      };
      at: string;
      details: {
        [key: string]: unknown;
      };
    };
    FileHistoryEvent: {
      at: string;
      delivery: {
        attempts: number;
        deliveredAt: string | null;
        lastError: string | null;
      };
      /** @description `error` (file.failed), `category` and `decidedBy` (file.classified), `from`, `to`, `runId` (file.sorted), `causedBy` (a workflow run caused it) */
      details: {
        [key: string]: unknown;
      };
      eventId: string;
      /** @description The file's status the event reported */
      status: string | null;
      /** @example file.processed */
      type: string;
    };
    FileList: {
      items: components['schemas']['FileListItem'][];
      nextCursor: string | null;
    };
    FileListItem: components['schemas']['File'] & {
      match?: components['schemas']['SearchMatch'];
    };
    FolderListing: {
      files: components['schemas']['File'][];
      folders: {
        /** @description Files anywhere under it */
        fileCount: number;
        links: {
          self: string;
        };
        name: string;
        path: string;
      }[];
      nextCursor: string | null;
      /** @description The folder listed ("" is the root of the sorted tree) */
      path: string;
    };
    Health: {
      /** @enum {string} */
      status: 'healthy';
      timestamp: string;
      version: string;
    };
    HealthDetailed: {
      components: {
        database: {
          /** @description Pooled engines (PostgreSQL): connections in use */
          connections_active?: number;
          /** @description Pooled engines: idle connections */
          connections_idle?: number;
          dialect: string;
          /** @description The catalog engine: sqlite, postgresql */
          engine: string;
          /** @description When unhealthy: a fixed text naming the component and, when known, the kind of failure (e.g. "storage unavailable", "catalog unavailable: timed out"). Never the underlying error, which names paths and hosts: that is in the server log. */
          error?: string;
          latency_ms: number;
          /** @enum {string} */
          status: 'healthy' | 'unhealthy';
        };
        integrations?: components['schemas']['IntegrationsHealth'];
        queue: {
          completed?: number;
          /** @description When unhealthy: a fixed text naming the component and, when known, the kind of failure (e.g. "storage unavailable", "catalog unavailable: timed out"). Never the underlying error, which names paths and hosts: that is in the server log. */
          error?: string;
          failed?: number;
          latency_ms: number;
          pending?: number;
          running?: number;
          /** @enum {string} */
          status: 'healthy' | 'unhealthy';
        };
        /** @description Present with REDIS_URL: the Redis shared by every instance */
        redis?: {
          /** @description When unhealthy: a fixed text naming the component and, when known, the kind of failure (e.g. "storage unavailable", "catalog unavailable: timed out"). Never the underlying error, which names paths and hosts: that is in the server log. */
          error?: string;
          latency_ms: number;
          /** @enum {string} */
          status: 'healthy' | 'unhealthy';
          /** @description What this server keeps there: locks, … */
          used_for: string[];
        };
        storage: {
          disk_free_gb: number | null;
          /** @description The blob store engine: local, s3 */
          engine: string | null;
          /** @description When unhealthy: a fixed text naming the component and, when known, the kind of failure (e.g. "storage unavailable", "catalog unavailable: timed out"). Never the underlying error, which names paths and hosts: that is in the server log. */
          error?: string;
          latency_ms: number;
          /** @enum {string} */
          status: 'healthy' | 'unhealthy';
        };
        webhooks?: components['schemas']['WebhooksHealth'];
      };
      metrics: {
        avg_response_time_ms: number;
        errors_total: number;
        memory_rss_mb: number;
        requests_total: number;
        uptime_seconds: number;
      };
      /**
       * @description unhealthy (503) when the database, storage or job queue (Redis with REDIS_URL) fails; degraded (200) when only an integration is (an open circuit, a webhook backlog)
       * @enum {string}
       */
      status: 'healthy' | 'degraded' | 'unhealthy';
      timestamp: string;
      version: string;
    };
    IntegrationActionCall: {
      /** @description Send this derivative instead */
      derivative?: string;
      /** @description The stored file a file action sends */
      fileId?: string;
      /** @description The action’s input (see each connector in docs/integrations.md) */
      input?: unknown;
    };
    IntegrationResult: {
      attempt: number;
      data?: unknown;
      error?: {
        code: string;
        details?: {
          [key: string]: unknown;
        };
        message: string;
      };
      fallback?: boolean;
      fromCache?: boolean;
      latencyMs: number;
      success: boolean;
    };
    /** @description Present when the server runs the connectors */
    IntegrationsHealth: {
      connectors: {
        /**
         * @description The worst over those tenants
         * @enum {string}
         */
        circuit_state: 'closed' | 'open' | 'half-open' | 'isolated';
        /** @description Tenants holding it live in this process */
        connections: number;
        /** @description Each endpoint's health, without its address: the route is public and a tenant's vendor URL can carry credentials (the tenant's own integration status shows it) */
        endpoints: {
          healthy: boolean;
          region?: string;
        }[];
        name: string;
        region: string | null;
        slug: string;
      }[];
      /** @description When unhealthy: a fixed text naming the component and, when known, the kind of failure (e.g. "storage unavailable", "catalog unavailable: timed out"). Never the underlying error, which names paths and hosts: that is in the server log. */
      error?: string;
      /**
       * @description degraded while a circuit is open or isolated, or an endpoint is ejected
       * @enum {string}
       */
      status: 'healthy' | 'degraded' | 'unhealthy';
    };
    IntegrationStatus: components['schemas']['IntegrationSummary'] & {
      actions: string[];
      circuit: {
        failureCount: number;
        lastFailureAt: number | null;
        openedAt: number | null;
        rejectedCount: number;
        /** @enum {string} */
        state: 'closed' | 'open' | 'half-open' | 'isolated';
        successCount: number;
      } | null;
      connectedAt: string | null;
      endpoints: {
        failures: number;
        healthy: boolean;
        picks: number;
        region?: string;
        url: string;
        weight: number;
      }[];
      /** @description The credential fields and whether each is set; values are never returned */
      fields: {
        name: string;
        secret: boolean;
        set: boolean;
      }[];
      lastError: {
        at: string;
        code: string;
        details?: {
          [key: string]: unknown;
        };
        message: string;
        operation: string;
      } | null;
    };
    IntegrationSummary: {
      /** @description Whether this FileForge has the connector */
      available: boolean;
      /** @enum {string} */
      circuitState: 'closed' | 'open' | 'half-open' | 'isolated';
      connected: boolean;
      name: string;
      region: string | null;
      slug: string;
    };
    NewApiKey: {
      name: string;
      /**
       * @default viewer
       * @enum {string}
       */
      role?: 'admin' | 'editor' | 'viewer';
    };
    NewUser: {
      /** Format: email */
      email: string;
      password: string;
      /**
       * @default viewer
       * @enum {string}
       */
      role?: 'admin' | 'editor' | 'viewer';
    };
    PasswordChange: {
      currentPassword: string;
      /** @description 8 characters to 72 bytes */
      newPassword: string;
      /**
       * @description As at login: `cookie` sets the new session as HttpOnly cookies
       * @enum {string}
       */
      session?: 'token' | 'cookie';
    };
    Readiness: {
      components: {
        /** @enum {string} */
        database: 'healthy' | 'unhealthy';
        /**
         * @description Present with REDIS_URL: the Redis shared by every instance (locks, queue); reported, not required for ready
         * @enum {string}
         */
        redis?: 'healthy' | 'unhealthy';
        /**
         * @description Start-up (migrations, the ADMIN_EMAIL bootstrap) has finished
         * @enum {string}
         */
        startup: 'complete' | 'pending';
        /** @enum {string} */
        storage: 'healthy' | 'unhealthy';
      };
      /** @description Each dependency's round trip for this probe, in milliseconds */
      latency_ms: {
        database: number;
        redis?: number;
        storage: number;
      };
      /** @enum {string} */
      status: 'ready' | 'not_ready';
      timestamp: string;
    };
    RefreshRequest: {
      refreshToken?: string;
    };
    Rule: {
      /** @default null */
      category?: string | null;
      /** @default [] */
      conditions?: components['schemas']['Rule___schema0'][];
      /** @default false */
      continue?: boolean;
      description?: string;
      destination?: string;
      /** @default true */
      enabled?: boolean;
      id: string;
      /**
       * @default all
       * @enum {string}
       */
      match?: 'all' | 'any' | 'none';
      /**
       * @default rename_new
       * @enum {string}
       */
      onConflict?: 'skip' | 'overwrite' | 'deduplicate' | 'rename_new' | 'rename_existing' | 'trash';
      /** @default 0 */
      priority?: number;
    };
    Rule___schema0:
      | {
          caseInsensitive?: boolean;
          field: string;
          /** @enum {string} */
          op:
            | 'eq'
            | 'ne'
            | 'in'
            | 'nin'
            | 'gt'
            | 'gte'
            | 'lt'
            | 'lte'
            | 'contains'
            | 'startsWith'
            | 'endsWith'
            | 'glob'
            | 'regex'
            | 'exists';
          value?: unknown;
        }
      | {
          /** @enum {string} */
          algorithm: 'none' | 'any' | 'all' | 'exact' | 'regex' | 'fuzzy' | 'auto';
          /** @default true */
          caseInsensitive?: boolean;
          /** @default text */
          field?: string;
          /** @default  */
          value?: string;
        }
      | {
          not: components['schemas']['Rule___schema0'];
        }
      | {
          conditions: components['schemas']['Rule___schema0'][];
          /**
           * @default all
           * @enum {string}
           */
          match?: 'all' | 'any' | 'none';
        };
    /** @description With `q`: where this file matched */
    SearchMatch: {
      /**
       * @description `text` (extracted text), `metadata` (title, author, EXIF, …) or `name`
       * @enum {string}
       */
      field: 'text' | 'metadata' | 'name';
      /** @description The matched words in `snippet`: `[start, end)` offsets in UTF-16 code units */
      highlights: {
        end: number;
        start: number;
      }[];
      /** @description Relevance, higher is better; comparable within one search only */
      rank: number;
      /** @description A short excerpt around the match, as plain text */
      snippet: string;
    };
    Session: {
      accessToken?: string;
      expiresIn: number;
      refreshToken?: string;
      /** @enum {string} */
      tokenType?: 'Bearer';
      user: components['schemas']['User'];
    };
    SetupRequest: {
      /** Format: email */
      email: string;
      password: string;
    };
    SortPlan: {
      items: components['schemas']['SortPlanItem'][];
    };
    SortPlanItem: {
      /**
       * @example move
       * @enum {string}
       */
      action: 'move' | 'skip' | 'overwrite' | 'deduplicate' | 'rename_existing' | 'trash' | 'none';
      category: string | null;
      /** @description The occupant moved out of the way first (rename_existing, trash) */
      displaced?: {
        path: string;
        to: string;
      };
      fileId: string;
      /** @description Its sorted path now; null when not sorted yet */
      from: string | null;
      reason: string;
      ruleId: string | null;
      /** @description Where it would go; null when it stays */
      to: string | null;
    };
    SortRun: {
      createdAt: string;
      finishedAt: string | null;
      id: string;
      links: {
        self: string;
        undo: string;
      };
      moved: number;
      moves: {
        fileId: string;
        from: string | null;
        seq: number;
        /** @enum {string} */
        state: 'planned' | 'moved' | 'undone';
        to: string | null;
        /** @description For a move of an undo: the move it reverses */
        undoes: number | null;
      }[];
      skipped: number;
      source: string;
      /** @enum {string} */
      status: 'applied' | 'partial' | 'undone';
    };
    SortRunList: {
      items: {
        createdAt: string;
        finishedAt: string | null;
        id: string;
        links: {
          self: string;
          undo: string;
        };
        moved: number;
        skipped: number;
        source: string;
        /** @enum {string} */
        status: 'applied' | 'partial' | 'undone';
      }[];
      nextCursor: string | null;
    };
    SortRunUndone: components['schemas']['SortRun'] & {
      /** @description Files of the run deleted since: nothing to put back, passed over */
      deleted: number;
      /** @description null when the whole run is undone; call again once the file is fixed */
      stopped: {
        fileId: string;
        message: string;
        path: string | null;
        /** @enum {string} */
        reason: 'content-changed' | 'moved-since' | 'changed-on-disk' | 'place-taken';
      } | null;
      undone: number;
    };
    StartWorkflowRun: {
      /** @description The file the run works on, if any */
      fileId?: string;
      /** @description Read by steps as {{ input.* }} */
      input?: {
        [key: string]: unknown;
      };
    };
    /** @description `null`: no quota */
    TenantQuota: {
      /** @description Bytes the tenant may store (each stored blob once); `null`: no limit */
      maxBytes: number | null;
      /** @description Files the tenant may have; `null`: no limit */
      maxFiles: number | null;
    } | null;
    TenantUsage: {
      /** @description Bytes of the tenant's stored files, each stored blob once: a duplicate sharing its original's blob adds nothing. Derivatives are not counted. */
      bytes: number;
      /** @description File records, duplicates included */
      files: number;
      quota: components['schemas']['TenantQuota'];
      /** @description Bytes reserved by uploads in flight */
      reservedBytes: number;
      /** @description Files reserved by uploads in flight */
      reservedFiles: number;
      tenant: string;
    };
    UploadStatus: {
      /** @description When an unfinished upload expires (UPLOAD_EXPIRY_HOURS) */
      expiresAt: string | null;
      /** @description The file the upload became, once complete */
      fileId: string | null;
      id: string;
      /** @description Declared Upload-Length */
      length: number;
      /** @description Bytes received so far */
      offset: number;
    };
    User: {
      createdAt: string;
      disabled: boolean;
      email: string;
      id: string;
      /** @enum {string} */
      role: 'admin' | 'editor' | 'viewer';
      tenant: string;
      updatedAt: string;
    };
    UserPatch: {
      disabled?: boolean;
      password?: string;
      /** @enum {string} */
      role?: 'admin' | 'editor' | 'viewer';
    };
    WatchRescan: {
      /** @description Claims kept for a later scan after a transient failure */
      deferred: number;
      /** @description Watched folders scanned */
      folders: number;
      ingested: number;
      /** @description Files refused, set aside in the claim area */
      rejected: number;
      /** @description Files found (not ignored) */
      seen: number;
      /** @description Files still being written, taken by a later scan */
      settling: number;
    };
    WebhookAttempt: {
      /** @description 1-based, per message and subscription */
      attempt: number;
      createdAt: string;
      durationMs: number | null;
      eventType: string;
      id: string;
      /** @description msg_…: the `webhook-id`, the same on every retry */
      messageId: string;
      /** @description Pending: when it is due. Failed: when the retry is due (null when none follows) */
      nextAttemptAt: string | null;
      /** @description The JSON body every attempt of the message sends */
      requestBody: string;
      /** @description The first 20 KB of the response, or the error text */
      responseBody: string | null;
      /** @description 0 for a network error or timeout; null while pending */
      responseStatus: number | null;
      sentAt: string | null;
      /** @enum {string} */
      status: 'pending' | 'succeeded' | 'failed';
      subscriptionId: string;
      /** @enum {string} */
      trigger: 'scheduled' | 'manual' | 'test';
      url: string;
    };
    WebhookCreate: {
      /** @description Default true */
      enabled?: boolean;
      /**
       * @example [
       *       "file.processed",
       *       "workflow.*"
       *     ]
       */
      events: string[];
      /** @example CRM sync */
      name: string;
      /** @example https://crm.example.com/hooks/fileforge */
      url: string;
    };
    WebhookPatch: {
      /** @description Re-enabling clears `disabledReason` and the failing clock */
      enabled?: boolean;
      /**
       * @example [
       *       "file.processed",
       *       "workflow.*"
       *     ]
       */
      events?: string[];
      name?: string;
      url?: string;
    };
    /** @description Present when the server runs webhooks: the delivery backlog */
    WebhooksHealth: {
      /** @description How long the longest-due attempt has waited past its time */
      delivery_lag_seconds: number;
      disabled_endpoints: number;
      /** @description Attempts due now and not yet sent */
      due_attempts: number;
      /** @description When unhealthy: a fixed text naming the component and, when known, the kind of failure (e.g. "storage unavailable", "catalog unavailable: timed out"). Never the underlying error, which names paths and hosts: that is in the server log. */
      error?: string;
      /** @description Enabled subscriptions whose recent attempts all failed */
      failing_endpoints: number;
      /** @description Age of the oldest undelivered message; null when none waits */
      oldest_pending_age_seconds: number | null;
      pending_attempts: number;
      /** @description Messages not yet delivered (retries waiting count) */
      pending_messages: number;
      /**
       * @description degraded when a message has waited more than 5 minutes or a due attempt more than 1 minute; unhealthy when the outbox cannot be read
       * @enum {string}
       */
      status: 'healthy' | 'degraded' | 'unhealthy';
    };
    WebhookSubscription: {
      createdAt: string;
      /** @enum {string|null} */
      disabledReason: 'gone' | 'failing' | 'manual' | null;
      enabled: boolean;
      events: string[];
      failingSince: string | null;
      id: string;
      links: {
        deliveries: string;
        self: string;
      };
      name: string;
      previousSecretExpiresAt: string | null;
      secretRotatedAt: string | null;
      tenant: string;
      updatedAt: string;
      url: string;
    };
    WebhookWithSecret: components['schemas']['WebhookSubscription'] & {
      /**
       * @description whsec_…: shown this once (FileForge keeps it encrypted); verify deliveries with it
       * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
       */
      secret: string;
    };
    Workflow: {
      createdAt: string;
      definition?: components['schemas']['WorkflowDefinition'];
      enabled: boolean;
      id: string;
      name: string;
      tenant: string;
      updatedAt: string;
    };
    WorkflowDefinition: {
      description?: string;
      /** @default true */
      enabled?: boolean;
      name: string;
      on:
        | (
            | {
                event: string;
                filter?:
                  | components['schemas']['WorkflowDefinition___schema0']
                  | components['schemas']['WorkflowDefinition___schema0'][];
              }
            | {
                schedule: string;
                timezone?: string;
              }
            | {
                /** @constant */
                manual: true;
              }
            | {
                watch: {
                  folder: string;
                  /** @default false */
                  recursive?: boolean;
                };
              }
          )
        | (
            | {
                event: string;
                filter?:
                  | components['schemas']['WorkflowDefinition___schema0']
                  | components['schemas']['WorkflowDefinition___schema0'][];
              }
            | {
                schedule: string;
                timezone?: string;
              }
            | {
                /** @constant */
                manual: true;
              }
            | {
                watch: {
                  folder: string;
                  /** @default false */
                  recursive?: boolean;
                };
              }
          )[];
      steps: {
        [key: string]: {
          if?: string;
          needs?: string[];
          /**
           * @default fail
           * @enum {string}
           */
          onError?: 'fail' | 'continue';
          retry?: {
            exponentialBase?: number;
            /** @enum {string} */
            jitter?: 'none' | 'full' | 'equal' | 'decorrelated';
            maxRetries?: number;
            maxRetryAfterMs?: number;
            maxRetryDelayMs?: number;
            retryDelayMs?: number;
          };
          timeoutMs?: number;
          uses: string;
          with?: {
            [key: string]: unknown;
          };
        };
      };
    };
    WorkflowDefinition___schema0:
      | {
          field: string;
          /**
           * @default eq
           * @enum {string}
           */
          op?: 'eq' | 'ne' | 'in' | 'glob' | 'gt' | 'lt';
          value: unknown;
        }
      | {
          all: components['schemas']['WorkflowDefinition___schema0'][];
        }
      | {
          any: components['schemas']['WorkflowDefinition___schema0'][];
        }
      | {
          not: components['schemas']['WorkflowDefinition___schema0'];
        };
    WorkflowLintProblem: {
      message: string;
      /** @example steps.sign.needs[0] */
      path: string;
      /**
       * @example cycle
       * @enum {string}
       */
      rule:
        | 'schema'
        | 'undefined-step'
        | 'cycle'
        | 'unknown-step-kind'
        | 'missing-processor'
        | 'invalid-template'
        | 'unreachable-step';
    };
    WorkflowLintResult: {
      ok: boolean;
      problems: components['schemas']['WorkflowLintProblem'][];
    };
    WorkflowRun: {
      /** @description 1, then one more per retry */
      attempt: number;
      createdAt: string;
      depth: number;
      error: {
        code: string;
        details?: {
          [key: string]: unknown;
        };
        message: string;
        step?: string;
      } | null;
      fileId: string | null;
      finishedAt: string | null;
      id: string;
      input: {
        [key: string]: unknown;
      };
      startedAt: string | null;
      /** @enum {string} */
      status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
      steps: components['schemas']['WorkflowStepRun'][];
      /** @description What started it: event, schedule, manual, watch, pipeline */
      trigger: {
        [key: string]: unknown;
      };
      workflowId: string;
    };
    WorkflowRunList: {
      items: components['schemas']['WorkflowRun'][];
      nextCursor: string | null;
    };
    WorkflowStepRun: {
      attempts: number;
      error?: {
        code: string;
        details?: {
          [key: string]: unknown;
        };
        message: string;
        step?: string;
      };
      finishedAt: string | null;
      name: string;
      output?: unknown;
      startedAt: string | null;
      /** @enum {string} */
      status: 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
