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
 * bytes. Room for a harness that pipelines a few thousand requests (the device-set benchmark runs 520 sessions at
 * once); a peer that never acknowledges cannot make a sender hold more.
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

export class SendQueues<T extends Queued> {
  /** Per destination, in turn order. */
  private readonly queues = new Map<string, T[]>();
  private readonly unresponsive = new Set<string>();
  /**
   * Destinations whose last persistent send timed out: their alerts wait behind every other message. A harness that
   * does not acknowledge its alerts would otherwise have each of its responses wait behind each of them in turn.
   */
  private readonly stallingAlerts = new Set<string>();
  /** Non-persistent messages waiting per destination (kept, not counted on each send: a queue may be long). */
  private readonly repliesTo = new Map<string, number>();
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
      destinations: this.queues.size,
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
    const waiting = this.repliesTo.get(destination) ?? 0;
    if (waiting >= MAX_QUEUED_PER_DESTINATION) return `${MAX_QUEUED_PER_DESTINATION} waiting for ${destination}`;
    if (this.replyBytes + bytes > MAX_QUEUED_BYTES)
      return `${this.replyBytes} bytes waiting, ${MAX_QUEUED_BYTES} at most`;
    return undefined;
  }

  /** Queues a message at the back of its destination's queue, or at the front (a frame in flight put back). */
  push(out: T, front = false): void {
    const destination = out.header.destination;
    let queue = this.queues.get(destination);
    if (!queue) this.queues.set(destination, (queue = []));
    if (front) queue.unshift(out);
    else queue.push(out);
    this.count(out, 1);
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
    for (const [destination, queue] of this.queues)
      if (!this.stallingAlerts.has(destination) && queue.length > 0) return true;
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
    let fallback: [string, T[], number] | undefined;
    for (const [destination, queue] of this.queues) {
      const i = queue.findIndex(eligible);
      if (i < 0) continue;
      if (this.unresponsive.has(destination)) {
        fallback ??= [destination, queue, i];
        continue;
      }
      return this.takeAt(destination, queue, i);
    }
    return fallback ? this.takeAt(...fallback) : undefined;
  }

  /** Removes and returns every waiting message `matches` selects. */
  remove(matches: (out: T) => boolean): T[] {
    const removed: T[] = [];
    for (const [destination, queue] of this.queues) {
      const keep = queue.filter((out) => !matches(out));
      if (keep.length === queue.length) continue;
      for (const out of queue) if (matches(out)) removed.push(out);
      if (keep.length > 0) this.queues.set(destination, keep);
      else this.queues.delete(destination);
    }
    for (const out of removed) this.count(out, -1);
    return removed;
  }

  /** A send to `destination` timed out (or an alert stalled): serve it after the others until it is heard from. */
  markUnresponsive(destination: string): void {
    remember(this.unresponsive, destination);
  }

  heardFrom(destination: string): void {
    this.unresponsive.delete(destination);
  }

  /** A new peer session: nothing the old one did counts against it. */
  forgetUnresponsive(): void {
    this.unresponsive.clear();
    this.stallingAlerts.clear();
  }

  private takeAt(destination: string, queue: T[], i: number): T {
    // shift, not splice, for the usual first message: no array of one made per message sent.
    const out = i === 0 ? queue.shift()! : queue.splice(i, 1)[0];
    this.count(out, -1);
    this.queues.delete(destination);
    if (queue.length > 0) this.queues.set(destination, queue); // its turn is over: to the back
    return out;
  }

  private count(out: T, sign: 1 | -1): void {
    if (out.persistent) this.persistent += sign;
    else {
      this.replies += sign;
      this.replyBytes += sign * payloadBytes(out);
      const destination = out.header.destination;
      const waiting = (this.repliesTo.get(destination) ?? 0) + sign;
      if (waiting > 0) this.repliesTo.set(destination, waiting);
      else this.repliesTo.delete(destination);
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
