/**
 * The suite's test files share workers (`isolate: false`, vitest.config.ts), so a `vi.mock` in one file would replace
 * the module for every later file of its worker: a mocked migration orchestrator once made three built-in packs fail
 * only in the full run. Every file that mocks a module must therefore be in OWN_WORKER.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_WORKER } from '../../vitest.config';

const ROOT = join(import.meta.dirname, '../..');

function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

describe('test files that mock modules', () => {
  it('each runs in a worker of its own', () => {
    const mocking = testFiles(join(ROOT, 'tests')).filter((file) =>
      /\bvi\.(mock|doMock)\(/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((file) => !OWN_WORKER.includes(file))).toEqual([]);
  });
});
