/**
 * Dependency decisions that a later `npm install` could silently undo (README "Decisions where the issues were
 * silent"): binary-parser is pinned exactly, because protocols/compileParser.ts uses its internals, which a minor
 * release may change; @vitest/coverage-v8 is kept for `npm run coverage`, which CI does not run.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import vitestConfig from '../../vitest.config';

const json = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
const manifest = json('package.json');
const lock = json('package-lock.json');
const installed = createRequire(import.meta.url)('binary-parser/package.json').version as string;

describe('binary-parser', () => {
  it('is pinned to the exact installed version in package.json and the lock file', () => {
    expect(installed).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.dependencies['binary-parser']).toBe(installed);
    expect(lock.packages[''].dependencies['binary-parser']).toBe(installed);
    expect(lock.packages['node_modules/binary-parser'].version).toBe(installed);
  });
});

describe('@vitest/coverage-v8', () => {
  it('is used by the opt-in coverage script, not by the test command CI runs', () => {
    expect(manifest.devDependencies['@vitest/coverage-v8']).toBeDefined();
    expect(manifest.scripts.coverage).toBe('vitest run --coverage');
    expect(manifest.scripts.test).toBe('vitest run');
    expect(vitestConfig.test?.coverage).toMatchObject({ provider: 'v8' });
    expect(vitestConfig.test?.coverage).not.toHaveProperty('enabled');
    expect(readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')).not.toMatch(/coverage/);
  });
});
