/**
 * Reading vendor bodies: tolerant JSON parsing and the error code/message out of the error
 * shapes the seven vendors use (see specs/connectors.md), so each connector only adds what is
 * special about its vendor.
 *
 * @module
 */
import { headerOf, type PortResponse } from './http-port.js';

/** The body as JSON when it parses (whatever the content type claims), else `undefined`. */
export function jsonOf(response: Pick<PortResponse, 'body'>): unknown {
  if (response.body.length === 0) return undefined;
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Whether the response declares a JSON body (`application/json`, `…+json`). */
export function isJson(response: Pick<PortResponse, 'headers'>): boolean {
  const type = headerOf(response, 'content-type') ?? '';
  return /\bjson\b/i.test(type);
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/**
 * The vendor's error code and message, from any of: OAuth2 `{error, error_description}`,
 * Slack `{ok:false, error}`, Graph/Dataverse `{error:{code,message}}`, SAP
 * `{error:{code,message:{value}}}`, Salesforce `[{errorCode,message}]`, DocuSign
 * `{errorCode,message}`, Oracle `{title, "o:errorDetails":[{detail,"o:errorCode"}]}`.
 */
export function errorOf(body: unknown): { code?: string; message?: string } {
  const first = Array.isArray(body) ? body[0] : body;
  if (typeof first !== 'object' || first === null) return {};
  const bag = first as Record<string, unknown>;
  if (typeof bag.error === 'object' && bag.error !== null) {
    const inner = bag.error as Record<string, unknown>;
    const message =
      typeof inner.message === 'object' && inner.message !== null
        ? str((inner.message as Record<string, unknown>).value)
        : str(inner.message);
    return { ...pick('code', str(inner.code)), ...pick('message', message) };
  }
  const details = bag['o:errorDetails'];
  if (Array.isArray(details) && typeof details[0] === 'object' && details[0] !== null) {
    const detail = details[0] as Record<string, unknown>;
    return {
      ...pick('code', str(detail['o:errorCode'])),
      ...pick('message', str(detail.detail) ?? str(bag.title)),
    };
  }
  return {
    ...pick('code', str(bag.errorCode) ?? str(bag.error)),
    ...pick('message', str(bag.message) ?? str(bag.error_description)),
  };
}

function pick<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
