/**
 * Runs of noise, summarised. Bytes that never make a frame (`A5 01 01` over and over) are reported by the link layer
 * as a drop again and again, and answered by NAKs: written line by line they made a recording 30 times the size of
 * the noise. Within a run of noise the first MAX_SHOWN_LINES different drop and NAK lines are written as they are;
 * their repeats are counted (a `repeated N` line each when the run ends), and any other drop or NAK is counted by
 * kind (one `noise` line). The run ends at the next frame in, at the first line NOISE_RUN_MS after it began, or when
 * the recording stops, so a run writes a bounded number of lines whatever the noise. A frame in, and a frame out other
 * than a NAK, is never held back; a summary line carries the time of the last line it counts, so it can be earlier
 * than a line written before it.
 */
import { noiseLine, repeatedLine } from './traceFormat';

/** A run longer than this is summarised and a new one begun, so a long flood is summarised as it goes. */
const NOISE_RUN_MS = 10_000;
/** Different drop and NAK lines a run writes; the rest are counted. */
const MAX_SHOWN_LINES = 16;

/** What a recorded line is to a run: a drop (noise, begins a run), a NAK out (counted in a run), a frame in (ends it), or another frame out. */
export type LineRole = 'drop' | 'nak' | 'in' | 'out';

interface Run {
  start: number;
  last: number;
  /** Each line written in the run, by its text after the time: how many more times it came, and the last time. */
  shown: Map<string, { count: number; last: number }>;
  /** Lines not shown, by kind (`drop oversize`, `out NAK`); the kinds are the link layer's drop reasons, a few. */
  unshown: Map<string, number>;
}

export class NoiseRuns {
  private run: Run | undefined;

  /** What to write for `line` (a whole trace line, time first) at `at`: '' when it is counted instead. */
  line(at: number, line: string, role: LineRole): string {
    const summary = this.run !== undefined && (role === 'in' || at - this.run.start >= NOISE_RUN_MS) ? this.end() : '';
    if (this.run === undefined) {
      if (role !== 'drop') return summary + line;
      this.run = { start: at, last: at, shown: new Map(), unshown: new Map() };
    }
    if (role === 'in' || role === 'out') return summary + line;
    const run = this.run;
    run.last = at;
    const text = line.slice(line.indexOf(' ') + 1).trimEnd();
    const seen = run.shown.get(text);
    if (seen !== undefined) {
      seen.count++;
      seen.last = at;
      return summary;
    }
    if (run.shown.size < MAX_SHOWN_LINES) {
      run.shown.set(text, { count: 0, last: at });
      return summary + line;
    }
    // `drop REASON …` by its reason; a NAK as one kind
    const kind = role === 'nak' ? 'out NAK' : text.split(' ', 2).join(' ');
    run.unshown.set(kind, (run.unshown.get(kind) ?? 0) + 1);
    return summary;
  }

  /** Ends the run: a `repeated` line for each line of it that came again, a `noise` line for the lines not shown. */
  end(): string {
    const run = this.run;
    this.run = undefined;
    if (run === undefined) return '';
    let out = '';
    for (const [text, { count, last }] of run.shown) if (count > 0) out += repeatedLine(last, count, text);
    if (run.unshown.size > 0) {
      const total = [...run.unshown.values()].reduce((sum, count) => sum + count, 0);
      const kinds = [...run.unshown].map(([kind, count]) => `${count} ${kind}`).join(', ');
      out += noiseLine(run.last, `${total} lines more, not shown: ${kinds}`);
    }
    return out;
  }
}
