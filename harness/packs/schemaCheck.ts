/**
 * A parsed pack against the pack JSON Schema (ajv, all errors), each error turned into a PackProblem at the YAML
 * node it concerns, in the words of docs/packs.md: what was found, what was expected.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { describeValue, type PackProblem } from './errors';
import { pathText, pointerSegments, type PackLocator } from './positions';
import { packSchema } from './schema';

type SchemaNode = Record<string, unknown>;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false });
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-key', schemaType: 'string' });
  compiled = ajv.compile(packSchema);
  return compiled;
}

export function schemaProblems(data: unknown, locator: PackLocator): PackProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  // `if` only says a `then` failed: the `then`'s own errors say what
  return (validate.errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => toProblem(error, data, locator));
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map (key: value lines)',
  array: 'a list (- item lines)',
  null: 'nothing',
};

function toProblem(error: ErrorObject, data: unknown, locator: PackLocator): PackProblem {
  const path = pointerSegments(error.instancePath);
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const expectedText = schema['x-expected'] as string | undefined;
  const written = typeof error.data === 'number' ? locator.source(path) : undefined;
  const found = written === undefined ? describeValue(error.data) : `the number ${written}`;
  const at = (segments: readonly string[], problem: string, expected: string, key = false): PackProblem => ({
    ...(key ? locator.key(segments) : locator.value(segments)),
    path: pathText(data, segments),
    problem,
    expected,
  });

  switch (error.keyword) {
    case 'type': {
      const types = ([] as string[]).concat(error.params.type as string | string[]);
      const expected = expectedText ?? types.map((type) => TYPE_WORDS[type] ?? type).join(' or ');
      // YAML reads 255, 8.11, true and all-digit hex unquoted as numbers and booleans
      const pattern = schema.pattern as string | undefined;
      const unquoted =
        types.length === 1 &&
        types[0] === 'string' &&
        ['number', 'boolean'].includes(typeof error.data) &&
        (pattern === undefined || new RegExp(pattern, 'u').test(written ?? String(error.data)));
      return at(
        path,
        `got ${found}`,
        unquoted ? `${expected}, in quotes (YAML reads it unquoted as a ${typeof error.data})` : expected,
      );
    }
    case 'enum': {
      const allowed = error.params.allowedValues as unknown[];
      return at(path, `got ${found}`, expectedText ?? `one of ${allowed.map(String).join(', ')}`);
    }
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const known = Object.keys((schema.properties ?? {}) as SchemaNode);
      return at(
        [...path, key],
        `unknown ${(schema['x-key'] as string | undefined) ?? 'field'} "${key}"`,
        `one of ${known.join(', ')}`,
        true,
      );
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      const required = (schema.required ?? []) as string[];
      const noun = required.length > 1 ? `the fields ${required.join(', ')}` : `the field ${missing}`;
      return at(path, `"${missing}" is missing`, noun);
    }
    case 'minProperties':
    case 'maxProperties': {
      const keys = Object.keys((error.data ?? {}) as object);
      const problem = keys.length === 0 ? 'got an empty map' : `got ${keys.join(' and ')}`;
      return at(path, problem, expectedText ?? (schema.description as string | undefined) ?? error.message ?? '');
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = {
        minimum: 'at least',
        maximum: 'at most',
        exclusiveMinimum: 'more than',
        exclusiveMaximum: 'less than',
      };
      return at(path, `got ${found}`, `${words[error.keyword]} ${String(error.params.limit)}`);
    }
    case 'pattern':
      return at(path, `got ${found}`, expectedText ?? `text matching ${String(error.params.pattern)}`);
    case 'minLength':
      return at(path, `got ${found}`, 'a non-empty string');
    case 'minItems':
      return at(
        path,
        `got ${Array.isArray(error.data) && error.data.length === 0 ? 'an empty list' : found}`,
        `at least ${String(error.params.limit)} item(s)`,
      );
    default:
      return at(path, `got ${found}`, `a value that ${error.message ?? 'matches the schema'}`);
  }
}
