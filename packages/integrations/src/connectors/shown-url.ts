/**
 * How connector statuses and health show an endpoint's URL.
 *
 * @module
 */

/**
 * An endpoint's URL as statuses show it: without user name, password, query or fragment, where
 * credentials put into a base URL would be (a status is read by every role of the tenant).
 */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '[not a URL]';
  }
}
