/**
 * TypeDoc plugin: heading anchors in the docs site are the ones GitHub gives the same
 * Markdown, so a link written as `guide.md#some-heading` works both on GitHub and in the site
 * built by `npm run docs`.
 *
 * TypeDoc's own slugs differ in two ways: they leave out the text of inline code in a
 * heading (`### \`sort\`: sorting a folder` becomes `-sorting-a-folder`), and they fold runs
 * of dashes. This plugin gives inline code in headings its text, for the anchor and for the
 * page's table of contents, and slugs the way GitHub does: lower case, punctuation removed,
 * each space a dash.
 */
import { Application, Slugger } from 'typedoc';

/** Keeps letters, marks, numbers, `_`, `-` and spaces, as GitHub's anchors do. */
const NOT_IN_SLUG = /[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu;

/**
 * @param {string} value heading text
 * @returns {string} the anchor GitHub gives that heading (before de-duplication)
 */
export function githubSlug(value) {
  return value.trim().toLowerCase().replace(NOT_IN_SLUG, '').replace(/ /g, '-') || '_';
}

/** @param {import('markdown-it').default} parser */
function headingCodeHasText(parser) {
  parser.core.ruler.push('fileforge_heading_code_text', (state) => {
    state.tokens.forEach((token, index) => {
      if (token.type !== 'inline' || state.tokens[index - 1]?.type !== 'heading_open') return;
      for (const child of token.children ?? []) {
        if (child.type !== 'code_inline' || child.children) continue;
        // TypeDoc reads a heading's text from `text` tokens only; the renderer still
        // prints the code from `content`.
        const text = new state.Token('text', '', 0);
        text.content = child.content;
        child.children = [text];
      }
    });
  });
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  Slugger.prototype.serialize = githubSlug;
  // Options are read after plugins load: set the loader once they are, keeping any other.
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    const configured = app.options.getValue('markdownItLoader');
    app.options.setValue('markdownItLoader', (parser) => {
      configured(parser);
      headingCodeHasText(parser);
    });
  });
}
