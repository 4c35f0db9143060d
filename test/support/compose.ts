/**
 * Reading Compose files as `docker compose` does, offline: YAML with anchors and merge keys,
 * `${VAR}` / `${VAR:-default}` / `${VAR:?error}` interpolation, and the merge of an override
 * file onto a base file.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './built-packages.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export interface ComposeService extends JsonObject {}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  [key: string]: Json | Record<string, ComposeService>;
}

/** A Compose file of the repository, parsed (merge keys resolved), not interpolated. */
export function readCompose(file: string): ComposeFile {
  return parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as ComposeFile;
}

/** Compose interpolation of one string with `env` (no process environment). */
export function interpolate(value: string, env: Record<string, string> = {}): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === '$$') return '$';
      const set = env[name!];
      if (op === ':-') return set ? set : (arg ?? '');
      if (op === '-') return set ?? arg ?? '';
      if (op === ':?' || op === '?') {
        if (set === undefined || (op === ':?' && set === '')) throw new Error(`${name}: ${arg}`);
        return set;
      }
      return set ?? '';
    },
  );
}

/** Every string of `node` interpolated. */
export function interpolateAll<T extends Json>(node: T, env: Record<string, string> = {}): T {
  if (typeof node === 'string') return interpolate(node, env) as T;
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, env)) as T;
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, env)])) as T;
  return node;
}

/** Keys whose sequences an override replaces rather than extends (compose-spec "merge"). */
const REPLACED = new Set(['command', 'entrypoint', 'test']);

/** `override` merged onto `base` as `docker compose -f base -f override` does (the parts used here). */
export function mergeCompose<T extends Json>(base: T, override: T, key = ''): T {
  if (Array.isArray(base) && Array.isArray(override)) {
    if (REPLACED.has(key)) return override;
    return [
      ...base,
      ...override.filter((item) => !base.some((b) => JSON.stringify(b) === JSON.stringify(item))),
    ] as T;
  }
  if (isObject(base) && isObject(override)) {
    const out: JsonObject = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? mergeCompose(base[k]!, v, k) : v;
    return out as T;
  }
  return override;
}

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A service's `environment` as a map, whether written as a map or as `NAME=value` lines. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const [name, ...rest] = String(line).split('=');
        return [name!, rest.join('=')];
      }),
    );
  }
  if (isObject(env))
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
  return {};
}

/** The services that run the FileForge image (built from the Dockerfile, or a released tag). */
export function fileforgeServices(file: ComposeFile): string[] {
  return Object.entries(file.services)
    .filter(([, s]) => s.build !== undefined || /fileforge/i.test(String(s.image ?? '')))
    .map(([name]) => name);
}
