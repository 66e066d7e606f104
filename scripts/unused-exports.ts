/**
 * Lists the exports that nothing outside their own file uses: the team's rule is to delete them (or drop the
 * `export` where the file itself still uses the name). Run after a change or a merge:
 *
 *   npx tsx scripts/unused-exports.ts
 *
 * Reads the project through the TypeScript language service (the tsconfig's folders), so a use through a re-export
 * or an `index.ts` counts. A name used only by tests is listed with the test files, for a reader to judge (a test of
 * a public helper counts; a test that exists only to use the export does not). A type used in another exported
 * declaration of its file is part of that declaration's API and is not listed. Exit code 0 always: it informs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const config = ts.getParsedCommandLineOfConfigFile(
  path.join(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
if (!config) throw new Error('tsconfig.json: cannot be read');

// The root's own TypeScript (vitest.mutation.config.ts imports vitest.config.ts's everyFile) is outside the
// tsconfig's folders but its imports are uses all the same.
const rootFiles = readdirSync(root)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => path.join(root, name));
const fileNames = [...new Set([...config.fileNames, ...rootFiles])];

const service = ts.createLanguageService({
  getScriptFileNames: () => fileNames,
  getScriptVersion: () => '1',
  getScriptSnapshot: (file) =>
    existsSync(file) ? ts.ScriptSnapshot.fromString(readFileSync(file, 'utf8')) : undefined,
  getCurrentDirectory: () => root,
  getCompilationSettings: () => config.options,
  getDefaultLibFileName: ts.getDefaultLibFilePath,
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
});
const program = service.getProgram()!;

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function declaredNames(statement: ts.Statement): ts.Identifier[] {
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.map((d) => d.name).filter(ts.isIdentifier);
  const name = (statement as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? [name] : [];
}

const rows: string[] = [];
for (const source of program.getSourceFiles()) {
  const file = path.relative(root, source.fileName);
  if (file.startsWith('..') || file.startsWith('node_modules') || file.startsWith('tests/') || file.endsWith('.d.ts'))
    continue;
  const exported = source.statements.filter(isExported);
  for (const statement of exported) {
    const isType = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
    for (const name of declaredNames(statement)) {
      let inFile = 0;
      let inOtherExport = 0;
      let elsewhere = 0;
      const tests = new Set<string>();
      for (const symbol of service.findReferences(source.fileName, name.getStart()) ?? []) {
        for (const reference of symbol.references) {
          const where = path.relative(root, reference.fileName);
          if (where === file) {
            if (reference.textSpan.start === name.getStart()) continue; // the declaration itself
            inFile++;
            const at = reference.textSpan.start;
            if (exported.some((other) => other !== statement && at >= other.getStart() && at < other.getEnd()))
              inOtherExport++;
          } else if (where.startsWith('tests/')) tests.add(where);
          else elsewhere++;
        }
      }
      if (elsewhere > 0 || (isType && inOtherExport > 0)) continue;
      const verdict =
        tests.size > 0
          ? `used only by tests: ${[...tests].join(', ')}`
          : inFile > 0
            ? 'used only in its file: drop `export`'
            : 'unused: delete';
      rows.push(`${file}: ${name.text} (${isType ? 'type' : 'value'}) ${verdict}`);
    }
  }
}
console.log(rows.length === 0 ? 'no unused exports' : rows.join('\n'));
