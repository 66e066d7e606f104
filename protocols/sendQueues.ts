/**
 * A sender's waiting messages (docs/protocol.md "Queues and fairness"): one FIFO per destination, destinations
 * served in turn (one message each, then to the back), a destination that let a send time out served after the
 * others until it is heard from, persistent messages (alerts) to a destination that lets them time out served after
 * everything else until it acknowledges one, and bounds on what waits, so a peer that never acknowledges cannot make
 * a sender hold more than MAX_QUEUED messages (MAX_QUEUED_PER_DESTINATION to one destination, MAX_QUEUED_BYTES of
 * payload) and MAX_QUEUED_PERSISTENT persistent ones.
 */

/**
 * Non-persistent messages (responses; a harness's commands) waiting: in all, to one destination, and their payload
 * bytes. Room for a harness that pipelines a few thousand requests; an emulator's responses all go to its one
 * harness, so it holds at most 1,024 of them (the device-set benchmark keeps at most 1,000 sessions in flight for
 * that reason); a peer that never acknowledges cannot make a sender hold more.
 */
const MAX_QUEUED = 4096;
const MAX_QUEUED_PER_DESTINATION = 1024;
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** Persistent messages (alerts) waiting; past this a new one is refused (the layer above decides what that means). */
const MAX_QUEUED_PERSISTENT = 4096;
/** Destinations remembered as unresponsive (and, apart, as stalling alerts); the least recently marked is forgotten first. */
const MAX_UNRESPONSIVE = 256;

interface Queued {
  header: { destination: string };
  segments: Uint8Array[];
  persistent: boolean;
}

export interface QueueSizes {
  queuedReplies: number;
  queuedReplyBytes: number;
  queuedPersistent: number;
  destinations: number;
  unresponsive: number;
}

function payloadBytes(out: Queued): number {
  let bytes = 0;
  for (const segment of out.segments) bytes += segment.length;
  return bytes;
}

/** One destination's waiting messages, with how many of them are not persistent (for its bound). */
interface Lane<T> {
  readonly destination: string;
  items: T[];
  replies: number;
}

/** Served lanes leave this many empty slots at the front of the turn order before it is copied down. */
const COMPACT_AFTER = 1024;

export class SendQueues<T extends Queued> {
  /** Each destination's lane, for look-up only. */
  private readonly lanes = new Map<string, Lane<T>>();
  /**
   * The lanes in turn order, from `head`: the lane served goes to the back (or away, once empty). An array, not the
   * Map's own order: moving a key to the back of a Map leaves a deleted entry at the front, and a walk from the
   * start steps over every one of them until the table is rebuilt (hundreds per take with as many destinations).
   */
  private order: (Lane<T> | undefined)[] = [];
  private head = 0;
  private readonly unresponsive = new Set<string>();
  /**
   * Destinations whose last persistent send timed out: their alerts wait behind every other message. A harness that
   * does not acknowledge its alerts would otherwise have each of its responses wait behind each of them in turn.
   */
  private readonly stallingAlerts = new Set<string>();
  private replies = 0;
  private replyBytes = 0;
  private persistent = 0;

  get length(): number {
    return this.replies + this.persistent;
  }

  get sizes(): QueueSizes {
    return {
      queuedReplies: this.replies,
      queuedReplyBytes: this.replyBytes,
      queuedPersistent: this.persistent,
      destinations: this.lanes.size,
      unresponsive: this.unresponsive.size,
    };
  }

  /** Why a new message to `destination` cannot wait, or undefined when it can. */
  refusal(destination: string, bytes: number, persistent: boolean): string | undefined {
    if (persistent)
      return this.persistent >= MAX_QUEUED_PERSISTENT
        ? `${MAX_QUEUED_PERSISTENT} persistent messages waiting`
        : undefined;
    if (this.replies >= MAX_QUEUED) return `${MAX_QUEUED} messages waiting in all`;
    const waiting = this.lanes.get(destination)?.replies ?? 0;
    if (waiting >= MAX_QUEUED_PER_DESTINATION) return `${MAX_QUEUED_PER_DESTINATION} waiting for ${destination}`;
    if (this.replyBytes + bytes > MAX_QUEUED_BYTES)
      return `${this.replyBytes} bytes waiting, ${MAX_QUEUED_BYTES} at most`;
    return undefined;
  }

  /** Queues a message at the back of its destination's queue, or at the front (a frame in flight put back). */
  push(out: T, front = false): void {
    const destination = out.header.destination;
    let lane = this.lanes.get(destination);
    if (!lane) {
      lane = { destination, items: [], replies: 0 };
      this.lanes.set(destination, lane);
      this.order.push(lane);
    }
    if (front) lane.items.unshift(out);
    else lane.items.push(out);
    this.count(lane, out, 1);
  }

  /**
   * The next message: the first `eligible` one of the next destination in turn, responsive destinations first. The
   * destination served goes to the back of the turn order.
   */
  take(eligible: (out: T) => boolean = anyMessage): T | undefined {
    if (this.stallingAlerts.size === 0) return this.takeFirst(eligible);
    return this.takeFirst((out) => !this.held(out) && eligible(out)) ?? this.takeFirst(eligible);
  }

  /** Whether a message other than a held-back alert waits (one `take` would serve before such an alert). */
  hasUnheld(): boolean {
    if (this.replies > 0) return true;
    for (const lane of this.lanes.values())
      if (!this.stallingAlerts.has(lane.destination) && lane.items.length > 0) return true;
    return false;
  }

  /** A persistent send to `destination` timed out: its alerts wait behind everything else until one is acknowledged. */
  markStallingAlerts(destination: string): void {
    remember(this.stallingAlerts, destination);
  }

  alertAcknowledged(destination: string): void {
    this.stallingAlerts.delete(destination);
  }

  private held(out: T): boolean {
    return out.persistent && this.stallingAlerts.has(out.header.destination);
  }

  private takeFirst(eligible: (out: T) => boolean): T | undefined {
    let fallback: number | undefined;
    let fallbackIndex = 0;
    const order = this.order;
    for (let at = this.head; at < order.length; at++) {
      const lane = order[at];
      if (lane === undefined) continue;
      const i = lane.items.findIndex(eligible);
      if (i < 0) continue;
      if (this.unresponsive.size > 0 && this.unresponsive.has(lane.destination)) {
        if (fallback === undefined) {
          fallback = at;
          fallbackIndex = i;
        }
        continue;
      }
      return this.takeAt(at, i);
    }
    return fallback === undefined ? undefined : this.takeAt(fallback, fallbackIndex);
  }

  /** Removes and returns every waiting message `matches` selects. */
  remove(matches: (out: T) => boolean): T[] {
    const removed: T[] = [];
    for (let at = this.head; at < this.order.length; at++) {
      const lane = this.order[at];
      if (lane === undefined) continue;
      const keep = lane.items.filter((out) => !matches(out));
      if (keep.length === lane.items.length) continue;
      for (const out of lane.items) {
        if (!matches(out)) continue;
        removed.push(out);
        this.count(lane, out, -1);
      }
      lane.items = keep;
      if (keep.length === 0) this.lanes.delete(lane.destination);
    }
    if (removed.length > 0) {
      // the emptied lanes leave the turn order; the others keep their places
      this.order = this.order.slice(this.head).filter((lane) => lane !== undefined && lane.items.length > 0);
      this.head = 0;
    }
    return removed;
  }

  /** A send to `destination` timed out (or an alert stalled): serve it after the others until it is heard from. */
  markUnresponsive(destination: string): void {
    remember(this.unresponsive, destination);
  }

  heardFrom(destination: string): void {
    if (this.unresponsive.size > 0) this.unresponsive.delete(destination);
  }

  /** A new peer session: nothing the old one did counts against it. */
  forgetUnresponsive(): void {
    this.unresponsive.clear();
    this.stallingAlerts.clear();
  }

  /** Takes message `i` of the lane at `at` in the turn order; the lane's turn is over: to the back, or away if empty. */
  private takeAt(at: number, i: number): T {
    const order = this.order;
    const lane = order[at]!;
    const queue = lane.items;
    // shift, not splice, for the usual first message: no array of one made per message sent.
    const out = i === 0 ? queue.shift()! : queue.splice(i, 1)[0];
    this.count(lane, out, -1);
    if (at === this.head) {
      order[at] = undefined;
      this.head = at + 1;
    } else {
      order.splice(at, 1);
    }
    if (queue.length > 0) order.push(lane);
    else this.lanes.delete(lane.destination);
    if (this.head >= COMPACT_AFTER && this.head * 2 >= order.length) {
      this.order = order.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  private count(lane: Lane<T>, out: T, sign: 1 | -1): void {
    if (out.persistent) this.persistent += sign;
    else {
      this.replies += sign;
      this.replyBytes += sign * payloadBytes(out);
      lane.replies += sign;
    }
  }
}

const anyMessage = (): boolean => true;

/** Adds `destination` as the most recently marked, forgetting the least recently marked past MAX_UNRESPONSIVE. */
function remember(marked: Set<string>, destination: string): void {
  marked.delete(destination);
  marked.add(destination);
  if (marked.size > MAX_UNRESPONSIVE) {
    const [oldest] = marked;
    marked.delete(oldest);
  }
}
