/**
 * bench/device-sets.ts's request-path cases, each run as the bench runs it (a child process, --expose-gc), on a few
 * sets: what they send, not how fast (speed is the bench's to measure).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One `--case` run's figures (its last stdout line is the case's JSON). */
function runCase(...args: string[]): { kind: string; sets: number; figures: Record<string, number> } {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/device-sets.ts', '--case', ...args],
    { cwd: ROOT, encoding: 'utf8', timeout: 50_000 },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ReturnType<typeof runCase>;
}

describe('bench/device-sets.ts request-path cases', () => {
  it("member sends each command as DeviceHost does, to the member: one XState event a command fewer than the set's command event", () => {
    const viaSet = runCase('commands', '2');
    const viaMember = runCase('member', '2');
    expect(viaMember.kind).toBe('member');
    // the same 12-command session, every command answered (the case throws otherwise), the same alerts
    expect(viaMember.figures.alertsPerSession).toBe(viaSet.figures.alertsPerSession);
    // the set's `command` event (one per command, forwarded by the set to its member) is the only event skipped:
    // the member's command and its device.output still reach the inspector (the latter through the system's relay)
    expect(viaSet.figures.eventsPerSession! - viaMember.figures.eventsPerSession!).toBe(12);
    // and each command's forwarding step and the set's step for each output, at least, are gone
    expect(viaSet.figures.microstepsPerSession! - viaMember.figures.microstepsPerSession!).toBeGreaterThanOrEqual(24);
  }, 60_000);

  // sessionsAtOnce is the most requests the run had outstanding at once, counted around each request
  it('host runs the sessions-at-once level it is given, and by default all of them (at most 1,000)', () => {
    expect(runCase('host', '3', '--sessions-at-once', '2').figures.sessionsAtOnce).toBe(2);
    const all = runCase('host', '3');
    expect(all.figures.sessionsAtOnce).toBe(3);
    expect(all.figures.requestsPerSec).toBeGreaterThan(0);
  }, 60_000);
});
