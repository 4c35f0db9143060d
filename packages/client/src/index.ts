/**
 * `@fileforge/client`: the typed HTTP client for a FileForge server.
 * @packageDocumentation
 */
export const CLIENT_VERSION = '0.1.0';
