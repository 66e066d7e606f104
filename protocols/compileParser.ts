/**
 * binary-parser compiles each Parser to a function, but the top level of that function sets `vars.$parent` and
 * `vars.$root` and then `delete`s them, which drops the result object into dictionary mode: measured on this
 * project's payloads, 270 ns of a 330 ns decode. We compile binary-parser's own generated code without those four
 * statements (we never use context variables). If a future binary-parser generates different code, the lines are
 * not found and we fall back to its own `parse`, so decoding stays correct and only the speed changes (the
 * codec tests cover both paths).
 *
 * PayloadCodec (payloadCodec.ts) decodes every payload through this: a request and a response parser per message,
 * compiled once per codec (one codec per dialect). `fastParsers: false` (the round-trip tests compare the two paths)
 * skips the edit and uses binary-parser's own `parse`. There are no other, hand-generated decoders.
 */
import type { Parser } from 'binary-parser';

const CONTEXT_LINES = ['vars.$parent = null;', 'vars.$root = vars;', 'delete vars.$parent;', 'delete vars.$root;'];

export type CompiledParser = (buffer: Buffer) => unknown;

interface ParserInternals {
  getContext(importPath: string): { code: string; imports: unknown[] };
}

export function compileParser(parser: Parser, options: { fast?: boolean } = {}): CompiledParser {
  const fallback: CompiledParser = (buffer) => parser.parse(buffer);
  if (options.fast === false) return fallback;
  const internals = parser as unknown as Partial<ParserInternals>;
  if (typeof internals.getContext !== 'function') return fallback;
  const context = internals.getContext('imports');
  let code = context.code;
  for (const line of CONTEXT_LINES) {
    if (!code.includes(line)) return fallback;
    code = code.replace(line, '');
  }
  // The same wrapper binary-parser's own compile() builds.
  return new Function('imports', 'TextDecoder', `return function (buffer, constructorFn) { ${code} };`)(
    context.imports,
    TextDecoder,
  ) as CompiledParser;
}
