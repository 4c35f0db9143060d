/**
 * TypeDoc plugin: each guide is listed in the site under the title of its first heading
 * (`# User guide`) instead of its file name, and the guides are listed in the order the
 * guides index (`docs/README.md`) links to them; guides it does not link follow, by file name.
 *
 * Runs once pages have their URLs, so `docs/user-guide.md` stays `documents/user-guide.html`.
 */
import { ReflectionKind, RendererEvent } from 'typedoc';

/** The file name a guide index has (its document's name before it gets a title). */
const INDEX = 'README';

/**
 * @param {import('typedoc').DocumentReflection} document
 * @returns {string | undefined} the text of the document's first `#` heading
 */
function firstHeading(document) {
  const text = document.content.map((part) => part.text).join('');
  return /^#\s+(.+?)\s*#*\s*$/m.exec(text)?.[1]?.replace(/`/g, '');
}

/**
 * The project's documents in the order the index links to them, then the rest.
 * @param {import('typedoc').ProjectReflection} project
 */
function ordered(project) {
  const documents = project.documents ?? [];
  const index = documents.find((document) => document.name === INDEX);
  if (!index) return documents;
  const linked = [index];
  for (const part of index.content) {
    if (part.kind !== 'relative-link' || typeof part.target !== 'number') continue;
    const target = project.files.resolve(part.target, project);
    if (typeof target === 'object' && documents.includes(target) && !linked.includes(target)) {
      linked.push(target);
    }
  }
  return [...linked, ...documents.filter((document) => !linked.includes(document))];
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(RendererEvent.BEGIN, ({ project }) => {
    if (project.documents) {
      const documents = ordered(project);
      project.documents = documents;
      const others = (project.childrenIncludingDocuments ?? []).filter((child) => !child.isDocument());
      project.childrenIncludingDocuments = [...documents, ...others];
    }
    for (const document of project.getReflectionsByKind(ReflectionKind.Document)) {
      const title = firstHeading(document);
      // A slash would make the navigation fold the title into folders.
      if (title) document.name = title.replace(/\//g, '∕');
    }
  });
}
