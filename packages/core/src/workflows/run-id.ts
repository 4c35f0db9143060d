import { createHash } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, as createId

/**
 * A run id derived from what started the run (a workflow id and the triggering event id, a
 * job id, a schedule tick), so a trigger delivered twice names the same run and the second
 * insert is ignored. Same shape as generated ids (26 lower-case base32 characters).
 */
export function derivedRunId(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  let id = '';
  for (let i = 0; i < 26; i++) id += ALPHABET[(digest[i] ?? 0) % 32];
  return id;
}
