/**
 * What a run on a real bench is waiting for (a `wait: 2h`, an alert window on the wall clock), so a long silence is
 * not taken for a hang. On a terminal, a line rewritten every second: what it waits for and the time left; in a log
 * (no terminal), one line a minute, so an overnight run's log says where it stood without filling up.
 */
import { CLEAR_LINE, type ConsoleOutput } from './consoleReporter';
import { formatVirtualDuration } from './durations';

export interface ProgressTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
  now(): number;
}

const realTimers: ProgressTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (id) => clearInterval(id as NodeJS.Timeout),
  now: () => Date.now(),
};

const TTY_EVERY_MS = 1000;
const LOG_EVERY_MS = 60_000;

export class WaitProgress {
  constructor(
    private readonly out: ConsoleOutput = process.stdout,
    private readonly timers: ProgressTimers = realTimers,
  ) {}

  /** A wall-clock wait for `what` until `endsAt` (epoch ms) begins; the function returned ends it. */
  begin(what: string, endsAt: number): () => void {
    const tty = this.out.isTTY === true;
    const line = () => `waiting: ${what}, ${formatVirtualDuration(Math.max(0, Math.ceil((endsAt - this.timers.now()) / 1000)) * 1000)} left`;
    if (tty) this.out.write(`${CLEAR_LINE}${line()}`);
    const timer = this.timers.setInterval(() => this.out.write(tty ? `${CLEAR_LINE}${line()}` : `${line()}\n`), tty ? TTY_EVERY_MS : LOG_EVERY_MS);
    let over = false;
    return () => {
      if (over) return;
      over = true;
      this.timers.clearInterval(timer);
      if (tty) this.out.write(CLEAR_LINE);
    };
  }
}
