/**
 * What a receiver has accepted, for duplicate suppression (docs/protocol.md "Duplicates"): per source, the
 * (sequence number, CRC) keys of its last WINDOW_PER_SOURCE frames, for at most MAX_SOURCES sources, the least
 * recently heard forgotten first. A sender has one frame in flight, so only its latest frames can come again, and
 * those are the ones kept; a flood of distinct sources costs at most MAX_SOURCES × WINDOW_PER_SOURCE keys.
 *
 * The sequence counter is the sending end's, one for every source behind it, so a key comes again in two ways: a
 * retransmission (same frame, same number), or a byte-identical new frame of the same source once the counter has
 * gone round (256·k frames later). A new frame takes the counter's next number, so it follows the frame before it:
 * a key is taken for new, not a duplicate, when at least SEQUENCE_NUMBERS − 1 new frames were heard since it was
 * remembered and the last of them had the number just before its own and followed the one before it (in step: a
 * late first copy of an older number says nothing of where the counter is). A retransmission meets that only if it
 * comes back exactly when the counter is on its number again, where the bytes cannot tell the two apart.
 */
/** Sources remembered; the least recently heard is forgotten first. */
const MAX_SOURCES = 256;
/** Keys remembered per source: a stalled alert that yielded its turn is still recognised when it comes again. */
const WINDOW_PER_SOURCE = 8;
/** Numbers of the sender's 8-bit sequence counter: a new frame repeats an earlier one's number every this many. */
const SEQUENCE_NUMBERS = 256;

/**
 * One source's last WINDOW_PER_SOURCE keys, a ring overwritten oldest first. A key is (sequence << 16) | CRC, at most
 * 24 bits, so -1 marks a slot never written. Windows are also the links of the least-recently-heard list: a source
 * heard again is moved to its end by four pointer writes, not by a Map delete and insert (a harness hears a fleet's
 * devices in turn, so nearly every frame it accepts moved its source that way).
 */
interface Window {
  source: string;
  keys: Int32Array;
  /** For each key, the count of new frames heard (`heard`) when it was remembered. */
  heardAt: Float64Array;
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
  /** New frames heard from the peer (each took its counter's next number), and the number the last one had. */
  private heard = 0;
  private lastSequence = -1;
  /** Whether the last new frame heard followed the one before it on the counter (not a late first copy). */
  private inStep = false;

  get sources(): number {
    return this.windows.size;
  }

  has(source: string, key: number): boolean {
    const newest = this.newest;
    // a device end hears one harness: most frames come from the source before them
    const window = newest !== undefined && newest.source === source ? newest : this.windows.get(source);
    if (window === undefined) return false;
    const keys = window.keys;
    // the common answer (no such key) in one native search; each match (a key kept twice, a lap apart) judged alone
    for (let at = keys.indexOf(key); at >= 0; at = keys.indexOf(key, at + 1))
      if (!this.lapped(window.heardAt[at], key >>> 16)) return true;
    return false;
  }

  /**
   * A frame from the peer that is no duplicate (accepted, refused, a segment, a session announcement): it took the
   * next number of the peer's counter, or a retransmission whose first copy never arrived did.
   */
  heardNew(sequence: number): void {
    this.heard++;
    this.inStep = sequence === ((this.lastSequence + 1) & (SEQUENCE_NUMBERS - 1));
    this.lastSequence = sequence;
  }

  /** Whether a new frame could carry `sequence` again since a key was remembered at `heardAt`: the counter went round. */
  private lapped(heardAt: number, sequence: number): boolean {
    return (
      this.inStep &&
      this.heard - heardAt >= SEQUENCE_NUMBERS - 1 &&
      this.lastSequence === ((sequence + SEQUENCE_NUMBERS - 1) & (SEQUENCE_NUMBERS - 1))
    );
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
          heardAt: new Float64Array(WINDOW_PER_SOURCE),
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
    window.heardAt[window.next] = this.heard;
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
