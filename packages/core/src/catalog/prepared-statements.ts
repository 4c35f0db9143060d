/**
 * Which statements the PostgreSQL catalog runs as named prepared statements, and their names.
 *
 * An unnamed statement is parsed, analysed and planned by the server every time it runs; a
 * named one once per connection, then only bound and executed (about 40 % less of the
 * backend's CPU for a one-row `update … returning` or a primary-key read). `pg` prepares a
 * named statement on a connection the first time it runs there and remembers it, so all this
 * module does is give each statement text a stable name and decide which texts get one:
 *
 * - only statements with parameters (those already go through the extended protocol, which
 *   takes one statement per text: a migration's multi-statement script never gets a name);
 * - only short ones (at most {@link MAX_PARAMETERS} parameters): a hot statement is short,
 *   while a batch's `in (…)` list has a text per length and would fill the connection's
 *   statements with texts run once;
 * - at most {@link MAX_PER_CONNECTION} per connection (the server keeps each for the
 *   connection's life); past that, statements run unnamed.
 *
 * The name is a digest of the text, so the same text has the same name on every connection
 * and two texts never share one.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** Statements with more parameters run unnamed. */
export const MAX_PARAMETERS = 64;
/** Named statements per connection, at most. */
export const MAX_PER_CONNECTION = 256;
/** Texts whose names are remembered, per pool (the cache starts over when full). */
const NAME_CACHE = 2_000;

/** Gives statement texts their prepared-statement names, per connection. */
export interface StatementNamer {
  /** The name `text` runs under on `connection`, or undefined to run it unnamed. */
  nameFor(connection: object, text: string, parameters: number): string | undefined;
}

/** Creates the namer of one pool. */
export function createStatementNamer(): StatementNamer {
  const names = new Map<string, string>();
  const prepared = new WeakMap<object, Set<string>>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `ff_${createHash('sha1').update(text).digest('base64url')}`;
      if (names.size >= NAME_CACHE) names.clear();
      names.set(text, name);
    }
    return name;
  };
  return {
    nameFor(connection, text, parameters) {
      if (parameters === 0 || parameters > MAX_PARAMETERS) return undefined;
      const name = nameOf(text);
      let known = prepared.get(connection);
      if (!known) {
        known = new Set();
        prepared.set(connection, known);
      }
      if (known.has(name)) return name;
      if (known.size >= MAX_PER_CONNECTION) return undefined;
      known.add(name);
      return name;
    },
  };
}
