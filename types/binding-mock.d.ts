// @serialport/binding-mock ships its ES module as a .mjs file with no .d.mts beside it (its `exports` map has no
// "types" condition), so TypeScript finds no types for the `import` condition. Point the bare specifier at its
// CommonJS declaration, which describes the same exports.
declare module '@serialport/binding-mock' {
  export { CanceledError, MockBinding, MockPortBinding } from '@serialport/binding-mock/dist/index.js';
  export type {
    CreatePortOptions,
    MockBindingInterface,
    MockPortInternal,
  } from '@serialport/binding-mock/dist/index.js';
}
