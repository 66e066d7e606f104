/**
 * Writes packs/pack.schema.json from harness/packs/schema.ts, the one source: `npx tsx scripts/write-pack-schema.ts`.
 * tests/packs/schemaFile.test.ts fails while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packSchemaJson } from '../harness/packs/schemaFile';

const target = fileURLToPath(new URL('../packs/pack.schema.json', import.meta.url));
writeFileSync(target, packSchemaJson());
console.log(`wrote ${target}`);
