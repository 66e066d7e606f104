/**
 * Resolves once every job already queued in this process has run: promise reactions (however deep the chain),
 * `queueMicrotask` callbacks and `process.nextTick` callbacks, plus whatever those queue in turn.
 *
 * Why a `setImmediate` turn and not something cheaper (measured on the 2-core CI box, 150,000 drains each):
 * - `await new Promise(setImmediate)`: 0.7–1.1 µs per drain. Node empties the nextTick and microtask queues
 *   completely before it enters the check phase, so this is exact whatever the depth of the chain.
 * - counting microtasks (`await null` k times): 0.05 µs per level, but only drains chains up to k deep; a
 *   continuation at depth k+1 would set its timer after `now()` had moved on, which is the drift we are
 *   avoiding. No fixed k is right for code we do not control (stream internals, link layers).
 * - V8 promise hooks (see whether any promise settled): cost on every promise in the process, do not see
 *   `process.nextTick` (which Node streams use for every emit) or `queueMicrotask`, and are experimental in Node 20.
 * - `MessageChannel`: 7.6 µs; `setTimeout(0)`: 1.1 ms (clamped to 1 ms).
 * In `npm run bench:clock` the drain adds about 1.3 µs per timer (plain callbacks: 0.8 µs per timer without it,
 * 2.2 µs with it), against about 20 µs for the XState transition a timer usually triggers. So `VirtualClock`
 * drains after every timer rather than guessing when nothing is pending.
 *
 * Real I/O that has not completed yet (a socket read, a real serial port) is not a queued job and is not waited
 * for: a virtual-time run must not depend on it.
 */

// Captured at load so a test that installs fake timers later (vi.useFakeTimers fakes setImmediate too) cannot
// turn every drain into a hang.
const realSetImmediate = globalThis.setImmediate;

export function drainPendingJobs(): Promise<void> {
  return new Promise<void>((resolve) => {
    realSetImmediate(resolve);
  });
}
