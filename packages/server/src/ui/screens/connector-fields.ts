import type { ConnectorDefinition } from '@fileforge/integrations';
import { z } from 'zod';
import { humanizeKey } from '../format.js';

/** One input of a connector's connect form, read from its credentials schema. */
export interface CredentialInput {
  name: string;
  required: boolean;
  /** A choice of values (`authMode`). */
  options?: string[];
  default?: string;
  /** `url` for URLs, `textarea` for PEM keys, else `text`. */
  kind: 'text' | 'url' | 'textarea';
}

interface JsonProperty {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
}

/**
 * The inputs of a connector's connect form, from the same zod schema the server validates
 * with: required fields, choices, defaults, URL fields and PEM keys (multi-line). Which are
 * secret comes from the connector's status (`fields[].secret`). Patterns are left to the
 * server (a schema pattern searches, an HTML `pattern` must match the whole value): its
 * per-field messages appear under each field.
 */
export function credentialInputs(definition: ConnectorDefinition): CredentialInput[] {
  const schema = z.toJSONSchema(definition.credentials, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonProperty>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    required: required.has(name),
    ...(p.enum ? { options: p.enum.map(String) } : {}),
    ...(p.default === undefined ? {} : { default: String(p.default) }),
    kind:
      p.format === 'uri'
        ? 'url'
        : p.pattern === 'PRIVATE KEY' || /privatekey$/i.test(name)
          ? 'textarea'
          : 'text',
  }));
}

/** A credentials field's label: `instanceUrl` → `Instance URL`, `clientId` → `Client ID`. */
export function credentialLabel(name: string): string {
  return humanizeKey(name).replace(/\b(url|id|api|sap)\b/gi, (word) => word.toUpperCase());
}
