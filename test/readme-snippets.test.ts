import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const PACKAGES = ['core', 'processors', 'integrations', 'server', 'client'];

/** The first TypeScript block of a README: the example under its "Use" heading. */
function firstSnippet(readme: string): string | undefined {
  return /^```ts\n([\s\S]*?)^```$/m.exec(readme)?.[1];
}

/** Type errors of `snippets` (virtual files under the repository root), compiled as the workspace is. */
function typeErrors(snippets: Map<string, string>): string[] {
  const configFile = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.base.json');
  if (!configFile) throw new Error('tsconfig.base.json not found');
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => snippets.has(file) || fileExists.call(host, file);
  host.readFile = (file) => snippets.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = snippets.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, ...rest)
      : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram([...snippets.keys()], { ...options, noEmit: true }, host);
  // Only the snippets are checked: the packages' own sources are checked by `npm run typecheck`.
  return [...snippets.keys()]
    .map((file) => program.getSourceFile(file)!)
    .flatMap((source) => [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ])
    .map((diagnostic) => {
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return `${diagnostic.file!.fileName.slice(root.length + 1)}:${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
}

describe('package READMEs', () => {
  it('each open with a TypeScript example that compiles against the current API', () => {
    const snippets = new Map<string, string>();
    for (const name of PACKAGES) {
      const path = join(root, 'packages', name, 'README.md');
      // A package still being written may not have its README yet; the docs site test
      // fails on the README's link to it.
      if (!existsSync(path)) continue;
      const snippet = firstSnippet(readFileSync(path, 'utf8'));
      expect(snippet, `packages/${name}/README.md has a \`\`\`ts example`).toBeDefined();
      // A module of its own (top-level await, no globals shared between snippets).
      snippets.set(join(root, 'packages', name, `readme-snippet.${name}.ts`), `${snippet}\nexport {};\n`);
    }
    expect(snippets.size).toBeGreaterThanOrEqual(4);
    expect(typeErrors(snippets)).toEqual([]);
  }, 600_000);
});
