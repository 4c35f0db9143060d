/**
 * TypeDoc plugin: the API reference names each entry point by the import a user writes
 * (`@fileforge/core`, `@fileforge/processors/image`) instead of its source path
 * (`core/src`, `processors/src/image`).
 */
import { Converter, ReflectionKind } from 'typedoc';

/**
 * @param {string} name a module name TypeDoc derived from `packages/<name>/src/<subpath>`
 * @returns {string} the package specifier, or `name` when it is not such a path
 */
export function packageSpecifier(name) {
  const match = /^([a-z0-9-]+)\/src(?:\/(.+))?$/.exec(name);
  if (!match) return name;
  const [, folder, subpath] = match;
  return subpath ? `@fileforge/${folder}/${subpath}` : `@fileforge/${folder}`;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      module.name = packageSpecifier(module.name);
    }
  });
}
