/**
 * The pre-flight of an emulator that takes benchConfigure (harness/run/preflight.ts, issue 18 item 3): it is made
 * each bench the scenarios want, and what it then says of itself is checked, so an emulator that answers ok and
 * stays what it was is refused, never run. A far end that cannot be set up over the link (real hardware; an emulator
 * that keeps its sets) is refused for the starting slots it cannot have. The devices are in this process, over the
 * loopback, both link layers on the wall clock as `smets1 emulate --clock harness` runs them; the expected lines are
 * written out from the pack files (line and column counted by hand).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { benchSets } from '../../emulator/host/benchConfig';
import { loadPack } from '../../harness/packs';
import { preflight, type FarEndAsk } from '../../harness/run/preflight';
import type { BenchConfigureFields } from '../../protocols/messageTypes.generated';
import type { ResponseMessage } from '../../protocols/messages';
import { loopbackEmulator } from '../emulator/loopbackEmulator';

const EMULATOR = '00-00-00-00-00-00-00-02';
const pack = (name: string) => new URL(`../../packs/defects/${name}`, import.meta.url).pathname;
const P91333 = pack('91333.yaml');
const RISK9 = pack('risk9.yaml');
const LINK = 'tcp:127.0.0.1:7000';

/** An Itron emulator on the harness clock (as `smets1 emulate --clock harness` starts by default), over the loopback. */
function itronEmulator(options: { fixedSets?: boolean } = {}) {
  const sets = benchSets({ vendor: 'itron' }).map((set) => ({ ...set, migrationState: 'smso' as const }));
  const bench = loopbackEmulator(
    (wall) => ({ clock: new VirtualClock(), linkClock: wall, harnessDriven: true, sets, ...options }),
    { dialect: 'itron', sessionId: 3 },
  );
  const ask: FarEndAsk = (eui, command) => bench.client.request(eui, command);
  return { ask, close: bench.close };
}

describe('pre-flight of an emulator that takes benchConfigure', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const far of open.splice(0)) await far.close();
  });

  it('an Itron emulator is made every bench of 91333 (Itron, the quirk off, Elster) and each checks out', async () => {
    const far = itronEmulator();
    open.push(far);
    const result = await preflight([loadPack(P91333)], far.ask, { clock: 'harness', link: LINK });
    expect(result).toEqual({ emulator: 'configure', problems: [], notes: [] });
    // it is left as the last bench: the Elster scenario's, in DCC service
    const info = await far.ask(EMULATOR, { type: 'benchInfo', firstSet: 0 });
    expect(info.body).toEqual({
      clock: 'harness',
      setCount: 1,
      sets: [
        { vendor: 'elster', installation: 'active', migrationState: 'dcc', seed: 1, ppmid: true, quirks: '91342' },
      ],
    });
  });

  it('an emulator that answers benchConfigure ok and stays what it was is refused: each bench it is not, named', async () => {
    const far = itronEmulator();
    open.push(far);
    // started in DCC service as the pack wants, so only the quirk-off and Elster scenarios differ from it
    expect((await far.ask(EMULATOR, { type: 'benchConfigure', sets: [itronDcc()] })).status).toBe('ok');
    const lying: FarEndAsk = (eui, command) =>
      // a fake answer for whichever message was asked: the far end's, typed as the asker expects
      command.type === 'benchConfigure'
        ? Promise.resolve({
            type: 'response',
            message: 'benchConfigure',
            requestId: 1,
            status: 'ok',
          } as ResponseMessage as never)
        : far.ask(eui, command);
    const result = await preflight([loadPack(P91333)], lying, { clock: 'harness', link: LINK });
    expect(result.emulator).toBe('configure');
    // `"91333": false` is line 31, its value at column 33; `vendor: elster` line 39, its value at column 22
    expect(result.problems).toEqual([
      `${P91333}:31:33: pack 91333 wants quirk 91333 off in set 0; the far end has it on after benchConfigure`,
      `${P91333}:39:22: pack 91333 wants Elster devices in set 0; the far end has Itron ones after benchConfigure`,
      ...[
        'ESME at 00-DB-12-34-56-78-90-A0',
        'GSME at 00-DB-12-34-56-78-90-A1',
        'CH at 00-DB-12-34-56-78-90-A2',
        'PPMID at 00-DB-12-34-56-78-90-A3',
      ].map((device) =>
        expect.stringMatching(
          new RegExp(
            `^${P91333}:39:22: pack 91333 wants an Elster ${device}; the far end has an Itron ${device.split(' ')[0]} \\(firmware ITRON-`,
          ),
        ),
      ),
    ]);
  });

  it('an emulator that refuses benchConfigure is refused, naming the scenario and why', async () => {
    const far = itronEmulator();
    open.push(far);
    const refusing: FarEndAsk = (eui, command) =>
      command.type === 'benchConfigure'
        ? Promise.resolve({
            type: 'response',
            message: 'benchConfigure',
            requestId: 1,
            status: 'invalidParameter',
          } as ResponseMessage as never)
        : far.ask(eui, command);
    const result = await preflight([loadPack(P91333)], refusing, { clock: 'harness', link: LINK });
    // `bench:` is line 9; its map starts at line 10, column 3
    expect(result.problems[0]).toBe(
      `${P91333}:10:3: pack 91333 wants the bench of scenario "Itron, the second 6.7 of the day is refused" (benchConfigure); the far end has refused it invalidParameter: it cannot be that bench (its log says why)`,
    );
    expect(result.problems).toHaveLength(4);
  });

  it('an emulator that keeps its sets (--state) is checked as it started, and refused the starting slots of risk 9', async () => {
    const far = itronEmulator({ fixedSets: true });
    open.push(far);
    const result = await preflight([loadPack(RISK9)], far.ask, { clock: 'harness', link: LINK });
    expect(result.emulator).toBe('reset');
    expect(result.notes).toEqual([
      `the far end on ${LINK} does not take benchConfigure (it keeps its device sets (\`smets1 emulate --state\`), or is an emulator older than benchConfigure): checked as it started, reset before each scenario`,
    ]);
    // `slots:`' value at line 25, column 5; the `bench:` map at line 21, column 3 (migrationState left at its default dcc)
    expect(result.problems).toEqual([
      `${RISK9}:25:5: pack risk9 wants the ESME's networkOperator slot to start with 90-B3-D5-1F-30-02-00-09's certificate; the far end has an emulator on ${LINK} that keeps its sets (no benchConfigure): run it against \`smets1 emulate\` without --state, or on --link mock or pty`,
      `${RISK9}:21:3: pack risk9 wants devices starting in migration state dcc in set 0; the far end has them starting in smso (start it with --migration-state dcc)`,
    ]);
  });
});

/** An Itron set in DCC service at the RTDS EUIs, the message written out by hand. */
function itronDcc(): BenchConfigureFields['sets'][number] {
  const code = '30313233343536373839414243444546';
  return {
    vendor: 'itron',
    installation: 'active',
    migrationState: 'dcc',
    seed: 1,
    pki: 1,
    quirks: '91333,risk11',
    devices: [
      { role: 'CH', eui: '00-DB-12-34-56-78-90-A2', installCode: '' },
      { role: 'ESME', eui: '00-DB-12-34-56-78-90-A0', installCode: code },
      { role: 'GSME', eui: '00-DB-12-34-56-78-90-A1', installCode: code },
      { role: 'PPMID', eui: '00-DB-12-34-56-78-90-A3', installCode: code },
    ],
    slots: [],
  };
}
