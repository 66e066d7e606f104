/**
 * Issue 10's "done means": the 91342 pack gives the same verdicts over a socat pty against `smets1 emulate` in another
 * process. `--link pty` starts the child with `--clock harness` and runs it in lockstep with the harness's virtual
 * time (harness/bench/lockstep.ts), through the one executor: every scenario passes, every scenario fails inverted,
 * and the alerts come at the virtual times the pack implies — the same as on the mock link, to the second.
 */
import { describe, expect, it } from 'vitest';
import { invertPack, loadPack } from '../../harness/packs';
import type { ScenarioResult } from '../../harness/reports/runResult';
import { runScenario } from '../../harness/run/executor';
import { needsSocat } from '../support/socat';

const haveSocat = needsSocat(
  'tests/packs/ptyLockstep.test.ts: "91342 pack over a pty against smets1 emulate --clock harness" (every test)',
);
const pack = loadPack(new URL('../../packs/defects/91342-elster.yaml', import.meta.url).pathname);

/** The alerts of a scenario's timeline as `code@seconds after the scenario start` (DUIS alert times, whole seconds). */
const alertSeconds = (result: ScenarioResult) =>
  result.timeline
    .filter((entry) => entry.lane === 'alerts')
    .map((entry) => `${entry.label}@${Math.floor((entry.at - result.virtualStartMs) / 1000)}`);

// Worked from the pack and docs/protocol.md "HAN join": the PPMID is powered at t0 and tries to join at once, then
// every 60 s; the CH refuses each attempt while the PPMID is not in its log (0x8F48). The 8.11 Add goes out at
// t0 + 90 s: the DCC's N24 and, if the CH takes it, its log-change alert 0x8F12; a refusal (join period over 255 s,
// defect 91342) is one more 0x8F48 then. An accepted PPMID joins at its next attempt, t0 + 120 s: 0x8F49 (join
// succeeded) and 0x8183 (joined the SMHAN). A refused one is refused at every attempt to the end of the 10 min after
// the 8.11 (t0 + 690 s): at 120, 180, … 660 s.
const JOINS = ['0x8F48@0', '0x8F48@60', 'N24@90', '0x8F12@90', '0x8F49@120', '0x8183@120'];
const REFUSED = [
  '0x8F48@0',
  '0x8F48@60',
  'N24@90',
  '0x8F48@90',
  '0x8F48@120',
  '0x8F48@180',
  '0x8F48@240',
  '0x8F48@300',
  '0x8F48@360',
  '0x8F48@420',
  '0x8F48@480',
  '0x8F48@540',
  '0x8F48@600',
  '0x8F48@660',
];
const EXPECTED: Record<string, string[]> = {
  'fix off, 255 s is accepted and the PPMID joins': JOINS,
  'fix off, 256 s is refused by the CH and the PPMID never joins': REFUSED,
  'fix off, 300 s is refused by the CH and the PPMID never joins': REFUSED,
  'fix on, 300 s is clamped to 255 s and the PPMID joins inside 255 s': JOINS,
};
/** 2026-01-01T00:00:00Z: where `smets1 emulate --clock harness` starts its virtual time, and so the run. */
const EPOCH = Date.UTC(2026, 0, 1);

describe.skipIf(!haveSocat)('91342 pack over a pty against smets1 emulate --clock harness', () => {
  it.each(pack.scenarios.map((scenario) => [scenario.name, scenario] as const))(
    '%s: passes, with the alerts at their virtual times',
    async (name, scenario) => {
      const [pty, mock] = [
        await runScenario(pack, scenario, { link: 'pty' }),
        await runScenario(pack, scenario, { link: 'mock' }),
      ];
      expect(pty.failures.map((f) => f.message)).toEqual([]);
      expect(pty.verdict).toBe('passed');
      expect(mock.verdict).toBe('passed');
      // Lockstep: the emulator's clock and the harness's start together and every alert is stamped exactly when raised.
      expect(pty.virtualStartMs).toBe(EPOCH);
      const ptyTimes = pty.timeline.filter((entry) => entry.lane === 'alerts').map((entry) => entry.at - EPOCH);
      expect(ptyTimes.every((ms) => ms % 1000 === 0)).toBe(true);
      expect(alertSeconds(pty)).toEqual(EXPECTED[name]);
      // The mock line takes a few virtual ms of transit each way (so the same second). The clamp scenario ends on the
      // 0x8F49 it waits for, before the 0x8183 raised with it has crossed the line (7 ms later); the fix-off 255 s one
      // goes on to read the CH's state, by when the 0x8183 is in and the run records it at the scenario's end. In
      // lockstep an advance is answered only once every alert raised by then is in, so the 0x8183 is there in both.
      const endsOnTheJoin = name === 'fix on, 300 s is clamped to 255 s and the PPMID joins inside 255 s';
      expect(alertSeconds(mock)).toEqual(
        endsOnTheJoin ? EXPECTED[name]!.filter((alert) => alert !== '0x8183@120') : EXPECTED[name],
      );
      expect(Math.floor((pty.virtualEndMs - pty.virtualStartMs) / 1000)).toBe(
        Math.floor((mock.virtualEndMs - mock.virtualStartMs) / 1000),
      );
    },
    120_000,
  );

  it('fails in every scenario with its expectations inverted, as on the mock link', async () => {
    const inverted = invertPack(pack);
    const verdicts: string[] = [];
    for (const scenario of inverted.scenarios)
      verdicts.push(`${scenario.name}: ${(await runScenario(inverted, scenario, { link: 'pty' })).verdict}`);
    expect(verdicts).toEqual(inverted.scenarios.map((scenario) => `${scenario.name}: failed`));
  }, 300_000);
});
