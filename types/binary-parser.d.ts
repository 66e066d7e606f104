// binary-parser ships its ES module as a .mjs file with no .d.mts beside it, so TypeScript finds no types for the
// `import` condition. Point the bare specifier at its CommonJS declaration, which describes the same class.
declare module 'binary-parser' {
  export { Parser } from 'binary-parser/dist/binary_parser.js';
}
