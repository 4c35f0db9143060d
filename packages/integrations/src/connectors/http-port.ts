/**
 * The slice of the integrations HTTP client (`createHttpClient()`, `src/http`) that connectors
 * and the auth strategies use: one `request()`. A port, so a test can hand in a stub and the
 * connectors never reach around the client's SSRF guard.
 *
 * @module
 */
import type { HttpClient, HttpRequest, HttpResponse } from '../http/index.js';

/** HTTP methods connectors use. */
export type HttpMethod = HttpRequest['method'];

/** One outbound request. */
export type PortRequest = HttpRequest;

/** The answer, body read in full (capped by `maxResponseBytes`). */
export type PortResponse = HttpResponse;

/** What a connector's `interpret` reads: a transport response or a `ConnectorResponse` (`raw: true`). */
export type VendorResponse = Pick<PortResponse, 'status' | 'headers' | 'body'>;

/** What connectors need from an HTTP client. */
export type HttpPort = Pick<HttpClient, 'request'>;

/** A response header (names are lower-case in `HttpResponse`). */
export function headerOf(response: Pick<PortResponse, 'headers'>, name: string): string | undefined {
  return response.headers[name.toLowerCase()];
}
