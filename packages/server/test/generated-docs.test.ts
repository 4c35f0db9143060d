import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedSections } from '../../../scripts/generated-sections.js';

const root = join(import.meta.dirname, '../../..');

describe('generated documentation', () => {
  it('matches the code it is generated from (run `npm run docs:generate` after changing it)', async () => {
    for (const { file, name, content } of await generatedSections()) {
      const text = await readFile(join(root, file), 'utf8');
      expect(text, `${file} section ${name}`).toContain(
        `<!-- generated:${name} -->\n${content}\n<!-- /generated:${name} -->`,
      );
    }
  });
});
