/**
 * The `@serialport/bindings-interface` types, in one place. The package's `exports` map has no "types" condition,
 * so under `moduleResolution: Bundler` its ESM entry resolves to an .mjs without declarations; resolving it as
 * `require` reaches dist/index.d.ts. (The same gap makes `@serialport/stream`'s `binding` option untyped.)
 */
export type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  UpdateOptions,
} from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
