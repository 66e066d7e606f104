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
 * 24 bits, so -1 marks a slot never written. Windows are also the links of the least-recently-heard list: a source
 * heard again is moved to its end by four pointer writes, not by a Map delete and insert (a harness hears a fleet's
 * devices in turn, so nearly every frame it accepts moved its source that way).
 */
interface Window {
  source: string;
  keys: Int32Array;
  next: number;
  /** Heard before this one (toward the least recently heard), and after it. */
  older: Window | undefined;
  newer: Window | undefined;
}

export class DuplicateWindow {
  private readonly windows = new Map<string, Window>();
  /** The least recently heard source's window (forgotten first), and the most recently heard one's. */
  private oldest: Window | undefined;
  private newest: Window | undefined;

  get sources(): number {
    return this.windows.size;
  }

  has(source: string, key: number): boolean {
    const newest = this.newest;
    // a device end hears one harness: most frames come from the source before them
    const window = newest !== undefined && newest.source === source ? newest : this.windows.get(source);
    return window !== undefined && window.keys.includes(key);
  }

  remember(source: string, key: number): void {
    let window = this.newest;
    if (window === undefined || window.source !== source) {
      const windows = this.windows;
      window = windows.get(source);
      if (window !== undefined) this.unlink(window);
      else if (windows.size >= MAX_SOURCES) {
        // The least recently heard source is forgotten and its window serves the newcomer: a harness hearing more
        // devices than MAX_SOURCES (a fleet's) would otherwise make and drop a window on every frame.
        window = this.oldest!;
        this.unlink(window);
        windows.delete(window.source);
        window.source = source;
        window.keys.fill(-1);
        window.next = 0;
        windows.set(source, window);
      } else {
        window = {
          source,
          keys: new Int32Array(WINDOW_PER_SOURCE).fill(-1),
          next: 0,
          older: undefined,
          newer: undefined,
        };
        windows.set(source, window);
      }
      // heard now: the newest
      window.older = this.newest;
      if (this.newest !== undefined) this.newest.newer = window;
      else this.oldest = window;
      this.newest = window;
    }
    window.keys[window.next] = key;
    window.next = (window.next + 1) % WINDOW_PER_SOURCE;
  }

  /** A new peer session: nothing it sent before counts. */
  clear(): void {
    this.windows.clear();
    this.oldest = this.newest = undefined;
  }

  /** Takes `window` out of the least-recently-heard list. */
  private unlink(window: Window): void {
    const { older, newer } = window;
    if (older !== undefined) older.newer = newer;
    else this.oldest = newer;
    if (newer !== undefined) newer.older = older;
    else this.newest = older;
    window.older = window.newer = undefined;
  }
}
