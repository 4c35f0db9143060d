/**
 * Auth strategies for connectors: a static bearer token, HTTP Basic, OAuth2 with a cached
 * single-flight token, and JWT-bearer assertions.
 *
 * @module
 */
export { type BasicAuthOptions, createBasicAuth } from './basic.js';
export { createBearerAuth } from './bearer.js';
export { createJwtAssertion, JWT_BEARER_GRANT, type JwtAssertionOptions } from './jwt-bearer.js';
export {
  type AccessToken,
  createOAuth2Auth,
  type OAuth2Auth,
  type OAuth2AuthOptions,
  type TokenParams,
} from './oauth2.js';
export type { AuthSession, AuthStrategy } from './types.js';
