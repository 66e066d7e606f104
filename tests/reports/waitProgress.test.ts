// The progress of a wall-clock wait (harness/reports/waitProgress.ts), on hand-driven timers: on a terminal a line
// rewritten every second with what is awaited and the time left; in a log one line a minute, nothing for a wait
// shorter than that.
import { describe, expect, it } from 'vitest';
import { WaitProgress, type ProgressTimers } from '../../harness/reports/waitProgress';

/** Timers the test moves: `tick(ms)` moves the time on and fires the interval as often as it is due. */
class HandTimers implements ProgressTimers {
  time = 1_000_000;
  interval: { fn: () => void; ms: number; next: number } | undefined;
  cleared = false;
  setInterval(fn: () => void, ms: number): unknown {
    this.interval = { fn, ms, next: this.time + ms };
    return 1;
  }
  clearInterval(): void {
    this.interval = undefined;
    this.cleared = true;
  }
  now(): number {
    return this.time;
  }
  tick(ms: number): void {
    const end = this.time + ms;
    while (this.interval !== undefined && this.interval.next <= end) {
      this.time = this.interval.next;
      this.interval.next += this.interval.ms;
      this.interval.fn();
    }
    this.time = end;
  }
}

function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, out: { isTTY, write: (text: string) => written.push(text) } };
}

describe('wait progress', () => {
  it('on a terminal: what it waits for and the time left, rewritten each second, cleared at the end', () => {
    const timers = new HandTimers();
    const { written, out } = output(true);
    const done = new WaitProgress(out, timers).begin('wait 600 s', timers.time + 600_000);
    expect(written).toEqual(['\r\x1b[2Kwaiting: wait 600 s, 10m 00s left']);
    timers.tick(2000);
    expect(written.slice(1)).toEqual(['\r\x1b[2Kwaiting: wait 600 s, 9m 59s left', '\r\x1b[2Kwaiting: wait 600 s, 9m 58s left']);
    done();
    expect(written.at(-1)).toBe('\r\x1b[2K');
    expect(timers.cleared).toBe(true);
  });

  it('in a log: one line a minute, none before the first minute is up', () => {
    const timers = new HandTimers();
    const { written, out } = output(false);
    const done = new WaitProgress(out, timers).begin('alert 0x8F49 within 7200 s', timers.time + 7_200_000);
    timers.tick(59_000);
    expect(written).toEqual([]);
    timers.tick(62_000);
    expect(written).toEqual(['waiting: alert 0x8F49 within 7200 s, 1h 59m 00s left\n', 'waiting: alert 0x8F49 within 7200 s, 1h 58m 00s left\n']);
    done();
    expect(timers.cleared).toBe(true);
    expect(written).toHaveLength(2);
  });

  it('a wait that ends before its first minute leaves a log untouched', () => {
    const timers = new HandTimers();
    const { written, out } = output(false);
    new WaitProgress(out, timers).begin('wait 30 s', timers.time + 30_000)();
    timers.tick(120_000);
    expect(written).toEqual([]);
  });
});
