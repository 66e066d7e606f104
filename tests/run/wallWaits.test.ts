// The executor tells the run of each wall-clock wait (for its progress line): a `wait` and an alert window on a
// real bench's link, with when each ends, and the end of each; on virtual time there is nothing to show.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuisBench } from '../../harness/bench/duisBench';
import { loadPack } from '../../harness/packs';
import { runScenario } from '../../harness/run/executor';
import { startEmulator } from '../emulator/childEmulator';

const dir = mkdtempSync(join(tmpdir(), 'smets1-waits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const packText = (link: string) => `name: waits
bench: { vendor: itron, link: "${link}" }
scenarios:
  - name: waits
    steps:
      - wait: 300ms
      - expect: { noAlert: { code: 0x8F49, within: 2s } }
`;

function recorder() {
  const events: string[] = [];
  const begun: { what: string; endsAt: number; at: number }[] = [];
  const waiting = (what: string, endsAt: number) => {
    begun.push({ what, endsAt, at: Date.now() });
    events.push(`begin ${what}`);
    return () => void events.push(`end ${what}`);
  };
  return { events, begun, waiting };
}

describe('wall-clock waits reported to the run', () => {
  it('on a real bench: each wait and alert window, with its end, begun and ended in order', async ({
    onTestFinished,
  }) => {
    const emulator = await startEmulator([]);
    onTestFinished(() => void emulator.process.kill('SIGTERM'));
    const file = join(dir, 'wall.yaml');
    writeFileSync(file, packText(`tcp:127.0.0.1:${emulator.port}`));
    const pack = loadPack(file);
    const { events, begun, waiting } = recorder();
    const result = await runScenario(pack, pack.scenarios[0]!, { waiting });
    expect(result.verdict).toBe('passed');
    const window = 'no alert 0x8F49 "Device joining succeeded" within 2 s';
    expect(events).toEqual(['begin wait 0.3 s', 'end wait 0.3 s', `begin ${window}`, `end ${window}`]);
    // each ends its own length after it began (give or take the few ms between the bench's clock and Date.now())
    expect(begun[0]!.endsAt - begun[0]!.at).toBeGreaterThanOrEqual(290);
    expect(begun[0]!.endsAt - begun[0]!.at).toBeLessThanOrEqual(300);
    expect(begun[1]!.endsAt - begun[1]!.at).toBeGreaterThan(1000);
    expect(begun[1]!.endsAt - begun[1]!.at).toBeLessThanOrEqual(2000);
  }, 30_000);

  it('a wall-clock wait of the bench ends when the bench closes (a scenario abandoned by its timeout leaves none behind)', async ({
    onTestFinished,
  }) => {
    const emulator = await startEmulator([]);
    onTestFinished(() => void emulator.process.kill('SIGTERM'));
    const bench = await DuisBench.start({ vendor: 'itron', link: `tcp:127.0.0.1:${emulator.port}` });
    let over = false;
    const waiting = bench.advance(10 * 60_000).then(() => (over = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(over).toBe(false);
    await bench.close();
    // a wait that outlived its bench would hold this test to its 30 s limit
    await waiting;
    expect(over).toBe(true);
  }, 30_000);

  it('on virtual time: none', async () => {
    const file = join(dir, 'virtual.yaml');
    writeFileSync(file, packText('mock'));
    const pack = loadPack(file);
    const { events, waiting } = recorder();
    expect((await runScenario(pack, pack.scenarios[0]!, { waiting })).verdict).toBe('passed');
    expect(events).toEqual([]);
  });
});
