/**
 * The layers and the direction of their dependencies (README "Layout", docs/architecture.md), checked on every
 * import of every .ts file in them: common/ · protocols/ · devices/ · emulator/ · harness/, each importing only
 * layers before it in that list. protocols/ and devices/ are siblings: each imports only common/ and itself, so the
 * wire knows no device and a device knows no byte. The harness reaches device behaviour only over the bench
 * protocol: a harness file may import devices/ only where HARNESS_READS_DEVICES below names the file, the module
 * and why, and an entry no import uses any more fails too, so the list stays the truth.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

type Layer = 'common' | 'protocols' | 'devices' | 'emulator' | 'harness';
const LAYERS: readonly Layer[] = ['common', 'protocols', 'devices', 'emulator', 'harness'];

/** What each layer may import besides itself (and packages). devices/ only by HARNESS_READS_DEVICES for harness/. */
const MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
  common: [],
  protocols: ['common'],
  devices: ['common'],
  emulator: ['common', 'protocols', 'devices'],
  harness: ['common', 'protocols', 'emulator'],
};

interface AllowedRead {
  /** The harness file, from the repository root. */
  readonly from: string;
  /** The devices/ module it imports (a file without .ts, or a folder's index). */
  readonly to: string;
  readonly reason: string;
}

const QUIRK_CATALOGUE =
  'the quirk catalogue (ids, the vendor each belongs to, its default per vendor, what it does) is data about the ' +
  'emulated devices, kept beside the machines that implement each quirk so a quirk is added in one place; the ' +
  "harness reads it as the vocabulary of --quirk, a pack's quirks: and benchInfo's quirks field, never to run " +
  'device behaviour (the devices act on the quirks only behind the bench protocol)';

const HARNESS_READS_DEVICES: readonly AllowedRead[] = [
  {
    from: 'harness/bench/duisBench.ts',
    to: 'devices/quirks/registry',
    reason: `QuirkOverrides, the type of a bench's switches: ${QUIRK_CATALOGUE}`,
  },
  {
    from: 'harness/cli/send.ts',
    to: 'devices/quirks/registry',
    reason: `QuirkOverrides of --quirk: ${QUIRK_CATALOGUE}`,
  },
  {
    from: 'harness/run/benchFor.ts',
    to: 'devices/quirks/registry',
    reason: `a pack's quirk switches checked and passed on: ${QUIRK_CATALOGUE}`,
  },
  {
    from: 'harness/packs/benchSwitches.ts',
    to: 'devices/quirks/registry',
    reason: `the quirk names a pack may switch: ${QUIRK_CATALOGUE}`,
  },
  {
    from: 'harness/cli/quirks.ts',
    to: 'devices/quirks/registry',
    reason: `\`smets1 quirks\` prints the catalogue: ${QUIRK_CATALOGUE}`,
  },
  {
    from: 'harness/run/preflight.ts',
    to: 'devices/quirks/registry',
    reason: `the quirks a pack wants in force (vendor defaults and its switches), compared with what the far end's benchInfo says over the wire: ${QUIRK_CATALOGUE}`,
  },
  {
    from: 'harness/cli/emulate.ts',
    to: 'devices/quirks/registry',
    reason: `\`smets1 emulate\` is the emulator's own command line; it refuses an unknown --quirk as bad usage (exit 2) before a port opens: ${QUIRK_CATALOGUE}`,
  },
  {
    from: 'harness/cli/emulate.ts',
    to: 'devices/set',
    reason:
      "`smets1 emulate` is the emulator's own command line: it checks --install-code with the devices' own rule " +
      '(checkInstallCodes) so a bad code is bad usage (exit 2) before a port opens, not an error from a running bench',
  },
  {
    from: 'harness/bench/assumptionsInForce.ts',
    to: 'devices/profiles',
    reason:
      'loaded for its side effect only: the vendor profiles register their assumed values in common/assumptions.ts, ' +
      'so a report can name the assumptions its emulated devices ran on; nothing of the profiles is called',
  },
];

interface Import {
  readonly specifier: string;
  readonly line: number;
}

/**
 * Every module a source names: import and export declarations (type-only and side-effect imports too), `import()`
 * calls and `import('…')` types. Read through the TypeScript parser, not a pattern, so no form is missed.
 */
function importsOf(fileName: string, text: string): Import[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    let literal: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined)
      literal = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      literal = node.arguments[0];
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal = node.argument.literal;
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      literal = node.moduleReference.expression;
    if (literal !== undefined && ts.isStringLiteralLike(literal)) {
      found.push({
        specifier: literal.text,
        line: source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isFile = (candidate: string) => {
  try {
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
};

/** The repository-relative module a relative specifier names (`devices/set` for its index), or null if none. */
function resolveModule(fromFile: string, specifier: string): string | null {
  const target = path.resolve(ROOT, path.dirname(fromFile), specifier);
  const candidates = [`${target}.ts`, target.replace(/\.js$/, '.ts'), path.join(target, 'index.ts'), target];
  const hit = candidates.find(isFile);
  if (hit === undefined) return null;
  const relative = path.relative(ROOT, hit).split(path.sep).join('/');
  return relative.replace(/\/index\.ts$/, '').replace(/\.ts$/, '');
}

function sourceFiles(directory: string): string[] {
  return readdirSync(path.join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${directory}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.isFile() && entry.name.endsWith('.ts') ? [relative] : [];
  });
}

const layerOf = (module: string): Layer | undefined =>
  LAYERS.find((layer) => module === layer || module.startsWith(`${layer}/`));

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly module: string;
}

/** Every relative import of every layer's files, resolved. */
function scan(): {
  files: Record<Layer, number>;
  imports: (Finding & { readonly from: Layer })[];
  unresolved: string[];
} {
  const files = Object.fromEntries(LAYERS.map((layer) => [layer, 0])) as Record<Layer, number>;
  const imports: (Finding & { from: Layer })[] = [];
  const unresolved: string[] = [];
  for (const layer of LAYERS) {
    for (const file of sourceFiles(layer)) {
      files[layer] += 1;
      for (const { specifier, line } of importsOf(file, readFileSync(path.join(ROOT, file), 'utf8'))) {
        if (!specifier.startsWith('.')) continue; // a package or node: builtin
        const module = resolveModule(file, specifier);
        if (module === null) unresolved.push(`${file}:${line} ${specifier}`);
        else imports.push({ file, line, module, from: layer });
      }
    }
  }
  return { files, imports, unresolved };
}

/** Each import that breaks the rule, as a line saying where and why. */
function violations(imports: readonly (Finding & { readonly from: Layer })[]): string[] {
  return imports.flatMap(({ file, line, module, from }) => {
    const to = layerOf(module);
    if (to === undefined) return [`${file}:${line} imports ${module}, outside the layers (${LAYERS.join(', ')})`];
    if (to === from || MAY_IMPORT[from].includes(to)) return [];
    if (
      from === 'harness' &&
      to === 'devices' &&
      HARNESS_READS_DEVICES.some((allowed) => allowed.from === file && allowed.to === module)
    )
      return [];
    const may = MAY_IMPORT[from].length === 0 ? 'nothing outside itself' : MAY_IMPORT[from].join(', ');
    const tail =
      from === 'harness' && to === 'devices' ? ' (devices/ only through HARNESS_READS_DEVICES, with a reason)' : '';
    return [`${file}:${line} imports ${module}: ${from}/ may import ${may}${tail}`];
  });
}

describe('layers', () => {
  const { files, imports, unresolved } = scan();

  it('finds the files of every layer and resolves every relative import', () => {
    for (const layer of LAYERS) expect(files[layer], layer).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });

  it('has no import pointing up the list: common · protocols · devices · emulator · harness', () => {
    expect(violations(imports)).toEqual([]);
  });

  it('allows the harness into devices/ only where the allow list says why, and every entry is still used', () => {
    const used = (allowed: AllowedRead) => imports.some((i) => i.file === allowed.from && i.module === allowed.to);
    expect(
      HARNESS_READS_DEVICES.filter((allowed) => !used(allowed)).map((allowed) => `${allowed.from} → ${allowed.to}`),
    ).toEqual([]);
    for (const allowed of HARNESS_READS_DEVICES)
      expect(allowed.reason.length, `${allowed.from} → ${allowed.to}`).toBeGreaterThan(40);
  });
});

describe('the import scanner', () => {
  it('sees every form of import: static, type-only, side-effect, re-export, dynamic, import type', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "import './c';",
      "export { d } from './d';",
      "export * from './e';",
      "const f = await import('./f');",
      "let g: import('./g').G;",
      "import h = require('./h');",
      "import fs from 'node:fs';",
      "// import { no } from './comment';",
      'const text = "from \'./string\'";',
    ].join('\n');
    expect(importsOf('x.ts', text).map((i) => `${i.line} ${i.specifier}`)).toEqual([
      '1 ./a',
      '2 ../b',
      '3 ./c',
      '4 ./d',
      '5 ./e',
      '6 ./f',
      '7 ./g',
      '8 ./h',
      '9 node:fs',
    ]);
  });

  it('names the file, line, module and rule of an import pointing up', () => {
    expect(
      violations([
        { file: 'devices/set/x.ts', line: 3, module: 'protocols/frame', from: 'devices' },
        { file: 'common/x.ts', line: 1, module: 'devices/set', from: 'common' },
        { file: 'harness/run/x.ts', line: 7, module: 'devices/profiles', from: 'harness' },
        { file: 'protocols/x.ts', line: 2, module: 'tests/support/cli', from: 'protocols' },
        { file: 'emulator/x.ts', line: 4, module: 'devices/set', from: 'emulator' },
        { file: 'harness/cli/emulate.ts', line: 5, module: 'devices/set', from: 'harness' },
      ]),
    ).toEqual([
      'devices/set/x.ts:3 imports protocols/frame: devices/ may import common',
      'common/x.ts:1 imports devices/set: common/ may import nothing outside itself',
      'harness/run/x.ts:7 imports devices/profiles: harness/ may import common, protocols, emulator (devices/ only through HARNESS_READS_DEVICES, with a reason)',
      'protocols/x.ts:2 imports tests/support/cli, outside the layers (common, protocols, devices, emulator, harness)',
    ]);
  });
});
