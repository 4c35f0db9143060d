/**
 * The outbound HTTP client with its SSRF guard.
 *
 * @module
 */
export { forbiddenReason, isForbiddenAddress } from './address.js';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpStreamResponse,
} from './client.js';
export { type HttpResponse, upstreamStatusError } from './response.js';
export {
  createSsrfGuard,
  type ResolveHost,
  type SsrfGuard,
  type SsrfGuardOptions,
  ssrfGuardOptionsFromConfig,
  validateOutboundUrl,
} from './ssrf-guard.js';
