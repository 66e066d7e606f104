/**
 * `smets1 emulate` runs without V8's allocation-site pretenuring, as the fleet's migration pool does
 * (harness/fleet/pretenuring.ts; docs/fleet.md "Round thirteen"): switched off by the command before any device set
 * is made; `--pretenuring` keeps V8's default. The runs here end at the state store's open, which comes before the
 * device sets are made or restored: a `--state` folder that is a file (exit 1). So a flag set any later (at the link,
 * after the host) is not set at all here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { smets1 } from '../support/cli';

const scratch = mkdtempSync(join(tmpdir(), 'smets1-pretenuring-'));
/** A --state "folder" that is a regular file: the store refuses it before any device set exists. */
const notAFolder = join(scratch, 'state');
writeFileSync(notAFolder, '');

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('smets1 emulate and pretenuring', () => {
  it('sets --no-allocation-site-pretenuring before any device set is made', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    const result = await smets1('emulate', '--state', notAFolder, '--link', 'loopback');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is a file, not a directory');
    expect(set.mock.calls).toEqual([['--no-allocation-site-pretenuring']]);
  });

  it('with --pretenuring leaves V8 its default', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    const result = await smets1('emulate', '--pretenuring', '--state', notAFolder, '--link', 'loopback');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is a file, not a directory');
    expect(set).not.toHaveBeenCalled();
  });
});
