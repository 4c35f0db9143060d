/**
 * The configuration variable names a deployment file may set: those documented in
 * docs/configuration.md that FileForge actually reads (`envSchema`), plus `<NAME>_FILE` for
 * each (read by the image's entry point, deploy/docker-entrypoint.mjs).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '@fileforge/core';
import { ROOT } from './built-packages.js';

/** Every `NAME` in the first column of docs/configuration.md's table. */
export function documentedVariables(): Set<string> {
  const text = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const first = /^\|([^|]+)\|/.exec(line)?.[1];
    if (!first) continue;
    for (const match of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(match[1]!);
  }
  return names;
}

/** The variables FileForge reads. */
export const schemaVariables = (): Set<string> => new Set(Object.keys(envSchema.shape));

/**
 * Why `name` is not a setting a deployment may use, or undefined when it is (documented and
 * read; or `<NAME>_FILE` of such a `NAME`).
 */
export function unknownSetting(name: string): string | undefined {
  const base = name.endsWith('_FILE') ? name.slice(0, -'_FILE'.length) : name;
  if (!documentedVariables().has(base)) return `${name}: ${base} is not in docs/configuration.md`;
  if (!schemaVariables().has(base)) return `${name}: ${base} is documented but FileForge does not read it`;
  return undefined;
}
