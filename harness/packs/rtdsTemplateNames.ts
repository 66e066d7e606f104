/**
 * Whether an RTDS request template of @smartdcc/duis-templates has this name, so a pack naming a missing one is
 * refused at load time with its line. Names are the package's file names without `_REQUEST_DUIS.XML`
 * (`CCS01_8.11_SUCCESS`), compared without regard to case, as `smets1 send` takes them.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const SUFFIX = /_REQUEST_DUIS\.XML$/i;
let names: Set<string> | undefined;

export function rtdsTemplateExists(name: string): boolean {
  if (names === undefined) {
    const require = createRequire(import.meta.url);
    const directory = join(dirname(require.resolve('@smartdcc/duis-templates/package.json')), 'templates');
    names = new Set(readdirSync(directory).filter((file) => SUFFIX.test(file)).map((file) => file.replace(SUFFIX, '').toUpperCase()));
  }
  return names.has(name.toUpperCase());
}
