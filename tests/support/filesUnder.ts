/** Every file under a directory, at any depth, as paths that include `root`. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
