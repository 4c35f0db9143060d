import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { Context } from 'hono';

/** How a rule or workflow definition was sent. */
export type DefinitionFormat = 'json' | 'yaml';

/** A definition body as it arrived: its format and its text (not yet parsed). */
export interface DefinitionBody {
  format: DefinitionFormat;
  text: string;
}

/** The media types that carry YAML (there is no single registered one in use everywhere). */
export const YAML_MEDIA_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
] as const;

const baseType = (header: string | undefined) => header?.split(';')[0]?.trim().toLowerCase() ?? '';

/** The format a `Content-Type` names, or `undefined` when it is neither JSON nor YAML. */
export function definitionFormat(contentType: string | undefined): DefinitionFormat | undefined {
  const type = baseType(contentType);
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  if ((YAML_MEDIA_TYPES as readonly string[]).includes(type)) return 'yaml';
  return undefined;
}

/**
 * Reads a rule or workflow definition sent as JSON or as YAML (`Content-Type:
 * application/yaml`). Anything else is 415 `UNSUPPORTED_MEDIA_TYPE`; an empty body 400
 * `BAD_REQUEST`. The text is returned unparsed: the schema owner (core) parses both formats,
 * so a YAML body and a JSON body fail validation with the same field paths.
 */
export async function readDefinitionBody(c: Context): Promise<DefinitionBody> {
  const format = definitionFormat(c.req.header('Content-Type'));
  if (!format) {
    throw new FileForgeError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'Send the definition as application/json or application/yaml',
    );
  }
  const text = await c.req.text();
  if (text.trim() === '') throw new FileForgeError(ErrorCode.BAD_REQUEST, 'The request body is empty');
  return { format, text };
}

/** Parses a JSON definition body; malformed JSON is 400 `BAD_REQUEST`, like every other JSON route. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new FileForgeError(ErrorCode.BAD_REQUEST, 'Malformed JSON in request body', { cause });
  }
}
