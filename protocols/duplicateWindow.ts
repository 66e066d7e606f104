/**
 * What a receiver has accepted, for duplicate suppression (docs/protocol.md "Duplicates"): per source, the
 * (sequence number, CRC) keys of its last WINDOW_PER_SOURCE frames, for at most MAX_SOURCES sources, the least
 * recently heard forgotten first. A sender has one frame in flight, so only its latest frames can come again, and
 * those are the ones kept; a flood of distinct sources costs at most MAX_SOURCES × WINDOW_PER_SOURCE keys.
 */

/** Sources remembered; the least recently heard is forgotten first. */
const MAX_SOURCES = 256;
/** Keys remembered per source: a stalled alert that yielded its turn is still recognised when it comes again. */
const WINDOW_PER_SOURCE = 8;

export class DuplicateWindow {
  /** In least-recently-heard order (a Map keeps insertion order; a source heard is moved to the end). */
  private readonly keys = new Map<string, number[]>();
  /**
   * The source heard last, already at the end of `keys`, with its window: a device end hears one harness, so most
   * frames come from the source before them and need no move to the end (a Map delete and insert each).
   */
  private last: string | undefined;
  private lastWindow: number[] | undefined;

  get sources(): number {
    return this.keys.size;
  }

  has(source: string, key: number): boolean {
    return this.keys.get(source)?.includes(key) ?? false;
  }

  remember(source: string, key: number): void {
    let window = this.lastWindow;
    if (source !== this.last || window === undefined) {
      window = this.keys.get(source) ?? [];
      this.keys.delete(source);
      this.keys.set(source, window);
      if (this.keys.size > MAX_SOURCES) {
        const [oldest] = this.keys.keys();
        this.keys.delete(oldest);
      }
      this.last = source;
      this.lastWindow = window;
    }
    window.push(key);
    if (window.length > WINDOW_PER_SOURCE) window.shift();
  }

  /** A new peer session: nothing it sent before counts. */
  clear(): void {
    this.keys.clear();
    this.last = this.lastWindow = undefined;
  }
}
