/**
 * Regenerates the parts of `docs/` that are derived from code, between
 * `<!-- generated:<name> -->` and `<!-- /generated:<name> -->` markers. Run with
 * `npm run docs:generate`; tests fail when a generated section is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { generatedSections } from './generated-sections.js';

for (const { file, name, content } of await generatedSections()) {
  const text = await readFile(file, 'utf8');
  const pattern = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`);
  if (!pattern.test(text)) throw new Error(`${file} has no generated:${name} markers`);
  await writeFile(file, text.replace(pattern, `$1\n${content}\n$2`));
  console.log(`updated ${file} (${name})`);
}
