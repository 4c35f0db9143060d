/**
 * Queries built with Kysely once and then run many times with other values.
 *
 * Building and compiling a short query with Kysely costs about 40 µs of JavaScript, more than
 * SQLite takes to run it. A hot query is therefore built once per shape, with a marker in place
 * of each value, and compiled; afterwards each call only fills the values into the compiled
 * parameters. The SQL text is what Kysely compiles for the dialect (`?` or `$1`), so it works
 * on every engine and the SQLite catalog's statement cache finds it. The shape (which columns a
 * change sets, how long an `in (…)` list is) is part of the key the caller gives.
 *
 * @module
 */
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';

/** Stands for the `i`-th value while a template is built; never reaches the database. */
const marker = (i: number) => `\u0000fileforge:value:${i}\u0000`;

interface Template {
  sql: string;
  /** Per parameter: the index of the value it takes, or -1 for a constant the builder wrote. */
  slots: readonly number[];
  /** Per parameter: the constant, where `slots` has -1. */
  constants: readonly unknown[];
  /** Every parameter is a value, in order: the values are the parameters as they are. */
  identity: boolean;
}

/** Compiled query templates, kept by key (one set per catalog: the SQL is the dialect's). */
export interface QueryTemplates {
  /**
   * Runs the query `build` returns for `values`, building and compiling it only the first time
   * `key` is seen. `build` receives a marker for each value and must use every one as a value
   * (not in SQL text), and nothing else may change the query's shape without changing `key`.
   */
  run<R>(
    // biome-ignore lint/suspicious/noExplicitAny: any table of the catalog
    db: Kysely<any>,
    key: string,
    values: readonly unknown[],
    build: (...values: string[]) => Compilable<R>,
  ): Promise<QueryResult<R>>;
}

/**
 * Runs a compiled statement at once, synchronously, when the connection may take it now
 * (SQLite: better-sqlite3 is synchronous); returns undefined when it may not (another
 * transaction holds the connection), and the query then goes through Kysely, which waits.
 */
export type DirectExecutor = (
  sql: string,
  parameters: readonly unknown[],
) => QueryResult<unknown> | undefined;

const directOf = new WeakMap<object, DirectExecutor>();

/**
 * Lets templates run on `db` (a catalog's query builder or one of its transactions) through
 * `executor` rather than Kysely's executor, whose connection lock and promises cost more than a
 * short SQLite statement. Set by the SQLite catalog.
 */
// biome-ignore lint/suspicious/noExplicitAny: any catalog
export function runTemplatesDirectly(db: Kysely<any>, executor: DirectExecutor): void {
  directOf.set(db, executor);
}

function parametersOf(template: Template, values: readonly unknown[]): unknown[] {
  const { slots, constants } = template;
  const parameters = new Array<unknown>(slots.length);
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    parameters[i] = s === -1 ? constants[i] : values[s];
  }
  return parameters;
}

/** Creates an empty set of templates. */
export function createQueryTemplates(): QueryTemplates {
  const templates = new Map<string, Template>();
  const compile = (key: string, count: number, build: (...values: string[]) => Compilable<unknown>) => {
    const markers = Array.from({ length: count }, (_, i) => marker(i));
    const index = new Map(markers.map((m, i) => [m, i]));
    const compiled = build(...markers).compile();
    const slots = compiled.parameters.map((p) => (typeof p === 'string' ? (index.get(p) ?? -1) : -1));
    const template: Template = {
      sql: compiled.sql,
      slots,
      constants: compiled.parameters.map((p, i) => (slots[i] === -1 ? p : undefined)),
      identity: slots.length === count && slots.every((s, i) => s === i),
    };
    templates.set(key, template);
    return template;
  };
  return {
    run(db, key, values, build) {
      const template = templates.get(key) ?? compile(key, values.length, build);
      const parameters = template.identity ? values : parametersOf(template, values);
      const direct = directOf.get(db);
      if (direct) {
        try {
          const result = direct(template.sql, parameters);
          if (result) return Promise.resolve(result as QueryResult<never>);
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return db.executeQuery(CompiledQuery.raw(template.sql, parameters as unknown[]));
    },
  };
}

/**
 * Whether templates run on `db` in-process, without a round trip (see
 * {@link runTemplatesDirectly}): many one-row statements then cost less than one large one,
 * which over a network costs less.
 */
// biome-ignore lint/suspicious/noExplicitAny: any catalog
export function runsDirectly(db: Kysely<any>): boolean {
  return directOf.has(db);
}

const byDb = new WeakMap<object, QueryTemplates>();

/**
 * The templates kept for one Kysely instance: a store built on the catalog's query builder
 * compiles each shape once for the life of the catalog. A transaction's builder is a new
 * instance each time: pass the catalog's templates to what runs inside one instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: any catalog
export function templatesOf(db: Kysely<any>): QueryTemplates {
  let templates = byDb.get(db);
  if (!templates) {
    templates = createQueryTemplates();
    byDb.set(db, templates);
  }
  return templates;
}
