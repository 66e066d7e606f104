/**
 * Re-establishes a lost connection (serial port unplugged, TCP connection dropped) with exponential backoff on the
 * injected clock, so that a virtual clock drives reconnects as it drives everything else. No jitter: there is one
 * client per link, so there is no herd to spread, and runs stay reproducible.
 */
import type { EmulatorClock, TimerId } from '../clock/clock';

export interface ReconnectOptions {
  /** Wait before the first attempt after a loss. Default 250 ms. */
  initialDelayMs?: number;
  /** Longest wait between attempts. Default 10 s. */
  maxDelayMs?: number;
  /** Growth of the wait after each failed attempt. Default 2. */
  factor?: number;
}

const defaultReconnect: Required<ReconnectOptions> = { initialDelayMs: 250, maxDelayMs: 10_000, factor: 2 };

/** The wait after a failed try: the last one grown by `factor`, at most `maxDelayMs`. */
function grown(delay: number, options: Required<ReconnectOptions>): number {
  return Math.min(delay * options.factor, options.maxDelayMs);
}

/**
 * With the default backoff (a SerialLink's), how long after a loss the first try comes that finds a line back
 * `outageMs` after it: a harness over a link that is not cut (TCP to a far end playing a cut) reopens its port then,
 * as it would over a cut serial line.
 */
export function firstTryAfter(outageMs: number): number {
  let delay = defaultReconnect.initialDelayMs;
  let at = delay;
  while (at < outageMs) {
    delay = grown(delay, defaultReconnect);
    at += delay;
  }
  return at;
}

export class Reconnector {
  readonly #options: Required<ReconnectOptions>;
  #delay: number;
  #timer: TimerId | null = null;
  #attempting = false;
  #stopped = false;

  /**
   * @param attempt one try at connecting; resolves once connected.
   * @param onFailure told of each failed try and the wait before the next one.
   */
  constructor(
    private readonly clock: EmulatorClock,
    options: ReconnectOptions,
    private readonly attempt: () => Promise<void>,
    private readonly onFailure: (error: unknown, nextDelayMs: number) => void,
  ) {
    this.#options = { ...defaultReconnect, ...options };
    const { initialDelayMs, maxDelayMs, factor } = this.#options;
    if (!(initialDelayMs >= 0 && maxDelayMs >= initialDelayMs && factor >= 1)) {
      throw new RangeError(
        `reconnect needs 0 <= initialDelayMs <= maxDelayMs and factor >= 1, got ${JSON.stringify(options)}`,
      );
    }
    this.#delay = initialDelayMs;
  }

  /** Schedules attempts until one succeeds; a no-op while attempts are already scheduled or stopped. */
  start(): void {
    if (this.#stopped || this.#timer !== null || this.#attempting) return;
    this.#timer = this.clock.setTimeout(() => void this.#try(), this.#delay);
  }

  /** For good (the link was closed). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #try(): Promise<void> {
    this.#timer = null;
    this.#attempting = true;
    let failure: { error: unknown } | null = null;
    try {
      await this.attempt();
    } catch (error) {
      failure = { error };
    } finally {
      this.#attempting = false;
    }
    if (!failure) {
      this.#delay = this.#options.initialDelayMs; // connected: the next loss starts from the short wait again
      return;
    }
    if (this.#stopped) return;
    this.#delay = grown(this.#delay, this.#options);
    this.onFailure(failure.error, this.#delay);
    this.start();
  }
}
