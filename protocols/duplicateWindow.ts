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

/**
 * One source's last WINDOW_PER_SOURCE keys, a ring overwritten oldest first. A key is (sequence << 16) | CRC, at most
 * 24 bits, so -1 marks a slot never written.
 */
interface Window {
  keys: Int32Array;
  next: number;
}

function emptyWindow(): Window {
  return { keys: new Int32Array(WINDOW_PER_SOURCE).fill(-1), next: 0 };
}

export class DuplicateWindow {
  /** In least-recently-heard order (a Map keeps insertion order; a source heard is moved to the end). */
  private readonly keys = new Map<string, Window>();
  /**
   * The source heard last, already at the end of `keys`, with its window: a device end hears one harness, so most
   * frames come from the source before them and need no move to the end (a Map delete and insert each).
   */
  private last: string | undefined;
  private lastWindow: Window | undefined;

  get sources(): number {
    return this.keys.size;
  }

  has(source: string, key: number): boolean {
    const window = source === this.last ? this.lastWindow : this.keys.get(source);
    return window !== undefined && window.keys.includes(key);
  }

  remember(source: string, key: number): void {
    let window = this.lastWindow;
    if (source !== this.last || window === undefined) {
      const keys = this.keys;
      window = keys.get(source);
      if (window !== undefined) keys.delete(source);
      else if (keys.size >= MAX_SOURCES) {
        // The least recently heard source is forgotten and its window serves the newcomer: a harness hearing more
        // devices than MAX_SOURCES (a fleet's) would otherwise make and drop a window on every frame.
        const [oldest, recycled] = keys.entries().next().value!;
        keys.delete(oldest);
        window = recycled;
        window.keys.fill(-1);
        window.next = 0;
      } else window = emptyWindow();
      keys.set(source, window);
      this.last = source;
      this.lastWindow = window;
    }
    window.keys[window.next] = key;
    window.next = (window.next + 1) % WINDOW_PER_SOURCE;
  }

  /** A new peer session: nothing it sent before counts. */
  clear(): void {
    this.keys.clear();
    this.last = this.lastWindow = undefined;
  }
}
