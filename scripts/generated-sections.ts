import { defaultProcessors, renderSupportTable } from '../packages/processors/src/index.js';
import { renderPermissionTable } from '../packages/server/src/auth/permission-table.js';

/** A section of a doc file that is generated from code. */
export interface GeneratedSection {
  file: string;
  name: string;
  content: string;
}

/** Every generated section of `docs/`. */
export async function generatedSections(): Promise<GeneratedSection[]> {
  return [
    { file: 'docs/security-guide.md', name: 'permissions', content: renderPermissionTable() },
    {
      file: 'docs/file-format-support.md',
      name: 'formats',
      content: renderSupportTable(defaultProcessors()),
    },
  ];
}
