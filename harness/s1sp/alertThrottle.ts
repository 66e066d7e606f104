/**
 * The S1SP's alert throttling (risk 11: alert floods from migrated meters). Per device and alert code, at most
 * `maxPerWindow` alerts pass in a window of `windowMs` that opens with the first alert; the rest are held back and
 * counted. When a window that held some back closes, one alert goes out in their place: the last one held back,
 * carrying `ThrottledAlertSequenceId` (the S1SP's running number of throttle reports) and `ThrottledAlertCount` (how
 * many were held back). The DCC's real limits are not public: both numbers are settings (assumed defaults in
 * harnessQuirks.ts). Memory: one entry per device and code with an open window.
 */
import type { LinkClock } from '../../protocols/linkLayer';

export interface ThrottledAlert<A> {
  readonly alert: A;
  readonly throttle?: { readonly sequenceId: number; readonly count: number };
}

interface Window<A> {
  readonly opened: number;
  passed: number;
  heldBack: number;
  last?: A;
  timer?: unknown;
}

export class AlertThrottle<A> {
  private readonly windows = new Map<string, Window<A>>();
  private sequenceId = 0;

  constructor(
    private readonly settings: { readonly windowMs: number; readonly maxPerWindow: number },
    private readonly clock: LinkClock,
    private readonly emit: (alert: ThrottledAlert<A>) => void,
  ) {}

  offer(key: string, alert: A): void {
    let window = this.windows.get(key);
    if (window === undefined) {
      window = { opened: this.clock.now(), passed: 0, heldBack: 0 };
      this.windows.set(key, window);
      const opened = window;
      opened.timer = this.clock.setTimeout(() => this.close(key, opened), this.settings.windowMs);
    }
    if (window.passed < this.settings.maxPerWindow) {
      window.passed += 1;
      this.emit({ alert });
      return;
    }
    window.heldBack += 1;
    window.last = alert;
  }

  /** Stops the window timers (the bench is closing). */
  stop(): void {
    for (const window of this.windows.values()) if (window.timer !== undefined) this.clock.clearTimeout(window.timer);
    this.windows.clear();
  }

  private close(key: string, window: Window<A>): void {
    if (this.windows.get(key) === window) this.windows.delete(key);
    if (window.heldBack > 0 && window.last !== undefined) {
      this.sequenceId += 1;
      this.emit({ alert: window.last, throttle: { sequenceId: this.sequenceId, count: window.heldBack } });
    }
  }
}
