/**
 * Reading a pack file: YAML with positions (yaml's parseDocument + LineCounter), then the JSON Schema (ajv), then
 * the checks across fields (packChecks.ts) that build the model. Each stage reports every problem it finds with its
 * line and column; a later stage runs only on what the earlier ones accepted, so no problem is reported twice.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { PackError, type PackProblem } from './errors';
import type { Pack } from './model';
import { buildPack } from './packChecks';
import { PackLocator } from './positions';
import { schemaProblems } from './schemaCheck';

/** Larger files are refused unread: a pack is a page or two of YAML. */
const MAX_PACK_BYTES = 1 << 20;

/** YAML's error codes → what the text should have been. */
const YAML_EXPECTED: Record<string, string> = {
  BAD_INDENT: 'consistent indentation (spaces, each level deeper than its parent)',
  TAB_AS_INDENT: 'indentation with spaces, not tabs',
  DUPLICATE_KEY: 'each key at most once in a map',
  MISSING_CHAR: 'the closing character of the flow collection or quoted string',
  MULTIPLE_DOCS: 'one YAML document per pack file',
  BLOCK_AS_IMPLICIT_KEY: 'a nested map on its own indented lines',
  MULTILINE_IMPLICIT_KEY: 'a key on one line',
  BAD_ALIAS: 'an alias (*name) of an anchor (&name) defined before it',
};

/** Past this many YAML syntax errors the text is not a pack with typos but something else: the rest are noise. */
const MAX_YAML_ERRORS = 5;

export function loadPack(file: string): Pack {
  // `smets1 run README.md` is a slip of the shell, not a pack with 51 YAML errors.
  if (!/\.ya?ml$/i.test(file))
    throw new PackError([
      wholeFile(file, 'not a pack file: its name does not end in .yaml or .yml', 'a pack, a YAML file (docs/packs.md)'),
    ]);
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_PACK_BYTES)
      throw new PackError([
        wholeFile(file, `the file is ${size} bytes`, `a pack file of at most ${MAX_PACK_BYTES} bytes`),
      ]);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof PackError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PackError([wholeFile(file, `cannot be read (${reason})`, 'a readable pack file')]);
  }
  return parsePack(text, file);
}

/** A pack from its text; `file` names it in problems and anchors `sr: {file}` paths. */
export function parsePack(text: string, file: string): Pack {
  if (text.length > MAX_PACK_BYTES) {
    throw new PackError([
      wholeFile(file, `the text is ${text.length} characters`, `a pack of at most ${MAX_PACK_BYTES}`),
    ]);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locator = new PackLocator(file, document, lines);
  if (document.errors.length > 0) {
    const problems: PackProblem[] = document.errors.slice(0, MAX_YAML_ERRORS).map((error) => ({
      ...locator.offset(error.pos[0]),
      path: '',
      problem: `bad YAML: ${error.message}`,
      expected: YAML_EXPECTED[error.code] ?? 'valid YAML',
    }));
    const more = document.errors.length - MAX_YAML_ERRORS;
    if (more > 0) {
      problems.push({
        ...locator.offset(document.errors[MAX_YAML_ERRORS]!.pos[0]),
        path: '',
        problem: `${more} more YAML error${more === 1 ? '' : 's'} not shown: this does not look like a pack`,
        expected: 'a pack: YAML with name, bench and scenarios (docs/packs.md)',
      });
    }
    throw new PackError(problems);
  }
  let data: unknown;
  try {
    // aliases expand at most 100 times: a "billion laughs" file is refused, not expanded
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new PackError([
      {
        ...locator.offset(0),
        path: '',
        problem: `bad YAML: ${(error as Error).message}`,
        expected: 'at most 100 alias expansions',
      },
    ]);
  }
  const problems = schemaProblems(data, locator);
  if (problems.length > 0) throw new PackError(problems);
  return buildPack(data as Record<string, unknown>, locator);
}

function wholeFile(file: string, problem: string, expected: string): PackProblem {
  return { file, line: 1, column: 1, path: '', problem, expected };
}
