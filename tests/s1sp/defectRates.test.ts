/**
 * Issue 15.4: the seeded defect rates and the alert throttle pinned to the numbers the primer (or the assumption in
 * harnessQuirks.ts) gives. Each rate is drawn N = 30,000 times through the decision the S1SP adapter takes
 * (S1spDefectDraws, with the bench's default settings: s1spSettings() as DuisBench builds them) and the count must lie
 * inside a binomial bound of ±5 standard deviations, written here as literal numbers with the arithmetic beside them.
 * A 5 sd miss has probability about 6e-7 for the right rate; the draws are seeded, so the counts are fixed anyway.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { AlertThrottle, type ThrottledAlert } from '../../harness/s1sp/alertThrottle';
import { S1spDefectDraws } from '../../harness/s1sp/draws';
import { s1spSettings, type FixSwitch } from '../../harness/s1sp/harnessQuirks';

const N = 30_000;
const DAY_MS = 86_400_000;

function count(decide: () => boolean): number {
  let hits = 0;
  for (let i = 0; i < N; i += 1) if (decide()) hits += 1;
  return hits;
}

describe('seeded defect rates over 30,000 draws (binomial bound ±5 sd)', () => {
  for (const seed of [1, 7]) {
    it(`61224: one change-of-supplier alert in three missing (seed ${seed})`, () => {
      // p = 1/3: mean 10,000; sd = sqrt(30000 · 1/3 · 2/3) = 81.6; ±5 sd = ±408 → [9592, 10408]
      // (0.4 would give a mean of 12,000; 0.3 one of 9,000)
      const draws = new S1spDefectDraws(s1spSettings({ seed }));
      const missing = count(() => draws.cosAlertMissing());
      expect(missing).toBeGreaterThanOrEqual(9592);
      expect(missing).toBeLessThanOrEqual(10408);
    });

    it(`91339/91340: 2% of responses without a ResponseCode (seed ${seed})`, () => {
      // p = 0.02: mean 600; sd = sqrt(30000 · 0.02 · 0.98) = 24.2; ±5 sd = ±121 → [479, 721] (5% would give 1,500)
      const draws = new S1spDefectDraws(s1spSettings({ seed }));
      const missing = count(() => draws.responseCodeMissing());
      expect(missing).toBeGreaterThanOrEqual(479);
      expect(missing).toBeLessThanOrEqual(721);
    });

    it(`SRV 4.10: a 30-day response lost half the time, a 29-day one never (seed ${seed})`, () => {
      // p(lost) = 1 - 0.5: mean 15,000; sd = sqrt(30000 · 0.5 · 0.5) = 86.6; ±5 sd = ±433 → [14567, 15433]
      // (a success rate of 0.6 would lose 12,000)
      const draws = new S1spDefectDraws(s1spSettings({ seed }));
      const lost = count(() => draws.wanLoses(30 * DAY_MS));
      expect(lost).toBeGreaterThanOrEqual(14567);
      expect(lost).toBeLessThanOrEqual(15433);
      expect(count(() => draws.wanLoses(30 * DAY_MS - 1))).toBe(0);
    });
  }

  it('draws nothing with the fix on: no alert missing, every response with its code', () => {
    const fixes = new Set<FixSwitch>(['cos-alert-always', 'response-code-always']);
    const draws = new S1spDefectDraws(s1spSettings({ fixes }));
    expect(count(() => draws.cosAlertMissing())).toBe(0);
    expect(count(() => draws.responseCodeMissing())).toBe(0);
  });
});

describe('S1SP alert throttle: 10 alerts per device and code per 60 s (the default setting)', () => {
  function throttled() {
    const clock = new VirtualClock(0);
    const sent: { at: number; alert: string; throttle?: ThrottledAlert<string>['throttle'] }[] = [];
    const throttle = new AlertThrottle<string>(s1spSettings().throttle, clock, ({ alert, throttle: report }) => {
      sent.push({ at: clock.now(), alert, ...(report === undefined ? {} : { throttle: report }) });
    });
    return { clock, sent, throttle };
  }

  it('passes the first 10 in a window, holds the rest, and reports them once when the window closes 60 s after its first', async () => {
    const { clock, sent, throttle } = throttled();
    // 15 alerts of one code, one a second from t = 0 s
    for (let i = 0; i < 15; i += 1) {
      throttle.offer('esme/8020', `a${i}`);
      await clock.advanceBy(1_000);
    }
    expect(sent.map((s) => s.alert)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
    await clock.advanceTo(59_999);
    expect(sent).toHaveLength(10);
    await clock.advanceTo(60_000);
    expect(sent.slice(10)).toEqual([{ at: 60_000, alert: 'a14', throttle: { sequenceId: 1, count: 5 } }]);
    // the next window opens with the next alert and passes 10 again
    for (let i = 0; i < 10; i += 1) throttle.offer('esme/8020', `b${i}`);
    expect(sent).toHaveLength(21);
    throttle.stop();
  });

  it('counts each device and code in its own window', async () => {
    const { sent, throttle } = throttled();
    for (let i = 0; i < 12; i += 1) {
      throttle.offer('esme/8020', 'over');
      throttle.offer('esme/808D', 'back');
      throttle.offer('gsme/8020', 'gas');
    }
    expect(['over', 'back', 'gas'].map((a) => sent.filter((s) => s.alert === a).length)).toEqual([10, 10, 10]);
    throttle.stop();
  });
});
