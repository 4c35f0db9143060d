/**
 * The FileForge reference server: a Hono app over a forge, a Node entry, and the error
 * table that maps every FileForge error code to an HTTP status.
 *
 * @module
 * @document ../README.md
 */
export { createServer, type FileForgeServer } from './app.js';
export type { AccessTokenOptions } from './auth/access-tokens.js';
export { type Permission, ROLE_GRANTS, ROUTE_PERMISSIONS } from './auth/permissions.js';
export type { Principal } from './auth/principal.js';
export type { AuthService } from './auth/service.js';
export type { ErrorBody } from './errors/respond.js';
export { ERROR_STATUS, statusOf } from './errors/status.js';
export {
  createIntegrationExtensions,
  type IntegrationExtensions,
  type IntegrationExtensionsOptions,
} from './forge-extensions.js';
export { type LingeringCloseOptions, lingerOnClose } from './http/lingering-close.js';
export { createLogger } from './logger.js';
export { type RunningServer, type StartServerOptions, startServer } from './node.js';
export { buildOpenApiDocument } from './openapi-document.js';
export type { ServerOptions } from './options.js';
export { SERVER_VERSION } from './version.js';
