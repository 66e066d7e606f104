/**
 * `smets1 emulate` runs without V8's allocation-site pretenuring, as the fleet's migration pool does
 * (harness/fleet/pretenuring.ts; docs/fleet.md "Round thirteen"): switched off by the command before any device set
 * is made; `--pretenuring` keeps V8's default. A link that cannot open ends each run at once (exit 1).
 */
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { smets1 } from '../support/cli';

afterEach(() => {
  vi.restoreAllMocks();
});

const UNOPENABLE = 'serial:/nonexistent/smets1-emulate-pretenuring';

describe('smets1 emulate and pretenuring', () => {
  it('sets --no-allocation-site-pretenuring before serving', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    const result = await smets1('emulate', '--link', UNOPENABLE);
    expect(result.code).toBe(1);
    expect(set.mock.calls).toEqual([['--no-allocation-site-pretenuring']]);
  });

  it('with --pretenuring leaves V8 its default', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    const result = await smets1('emulate', '--pretenuring', '--link', UNOPENABLE);
    expect(result.code).toBe(1);
    expect(set).not.toHaveBeenCalled();
  });
});
