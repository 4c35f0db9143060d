import type { ConnectorDefinition } from '@fileforge/integrations';

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

/**
 * A connect body in the connector's own field names. The seed guide writes credentials in
 * snake_case (`client_id`, `bot_token`); each such key whose camelCase form is a field of the
 * connector (and is not given too) is renamed, so both spellings connect. Anything else is
 * left for the connector's schema to judge.
 */
export function credentialsFor(definition: ConnectorDefinition | undefined, body: unknown): unknown {
  if (!definition || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const fields = definition.credentials.shape as Record<string, unknown>;
  const input = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const renamed = camel(key);
    const mapped = key.includes('_') && !(key in fields) && renamed in fields && !(renamed in input);
    out[mapped ? renamed : key] = value;
  }
  return out;
}

/** One line per connector for the OpenAPI description: its credential fields, `?` optional, `(secret)`. */
export function describeCredentials(definitions: readonly ConnectorDefinition[]): string {
  return definitions
    .map((d) => {
      const fields = Object.entries(
        d.credentials.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>,
      )
        .map(([name, schema]) => `${name}${schema.safeParse(undefined).success ? '?' : ''}`)
        .join(', ');
      return `- \`${d.slug}\`: ${fields}`;
    })
    .join('\n');
}
