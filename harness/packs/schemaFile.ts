/** The published form of the pack schema (packs/pack.schema.json): its text, as scripts/write-pack-schema.ts writes it. */
import { packSchema } from './schema';

export function packSchemaJson(): string {
  return `${JSON.stringify(packSchema, null, 2)}\n`;
}
