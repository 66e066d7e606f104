/**
 * The pre-flight of a far end that is no emulator (real hardware: it does not answer benchInfo, harness/run/
 * preflight.ts). Here the devices are emulated in this process and reached without the wire (DeviceHost.command),
 * and the emulator's own address is what real hardware would make of it: no answer. Only what the devices say of
 * themselves can be checked, migration state included; `--clock harness` against it is refused.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { benchSets } from '../../emulator/host/benchConfig';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { loadPack } from '../../harness/packs';
import { preflight, type FarEndAsk } from '../../harness/run/preflight';
import type { CommandInput } from '../../protocols/benchClient';
import type { ResponseMessage } from '../../protocols/messages';
import type { RequestName } from '../../protocols/messageTypes.generated';

const FILE = new URL('../../packs/defects/91342-elster.yaml', import.meta.url).pathname;
const EMULATOR = '00-00-00-00-00-00-00-02';

function hardware(vendor: 'itron' | 'elster', migrationState: 'smso' | 'dcc'): { ask: FarEndAsk; close(): void } {
  const host = new DeviceHost({
    clock: new VirtualClock(),
    sets: benchSets({ vendor }).map((set) => ({ ...set, migrationState })),
  });
  const ask: FarEndAsk = async <N extends RequestName>(eui: string, command: CommandInput<N>) => {
    if (eui === EMULATOR) throw new Error('no ack for control benchInfo after 4 tries of 1000 ms');
    const answer = await host.command(eui, command);
    // The host answered this command: its body is the body of N's response.
    return {
      type: 'response',
      message: command.type,
      requestId: 1,
      status: answer.status,
      ...(answer.body ? { body: answer.body } : {}),
    } as ResponseMessage<N>;
  };
  return { ask, close: () => host.close() };
}

describe('pre-flight of real hardware (no benchInfo)', () => {
  const pack = loadPack(FILE);

  it('the right devices pass, with a note that quirks could not be checked', async () => {
    const far = hardware('elster', 'dcc');
    const result = await preflight([pack], far.ask, { clock: 'wall', link: 'serial:/dev/ttyUSB0' });
    far.close();
    expect(result).toEqual({
      emulator: false,
      problems: [],
      notes: [
        "the far end on serial:/dev/ttyUSB0 is not an emulator (no benchInfo): its devices' types and vendors were checked, not their quirks or starting state",
      ],
    });
  });

  it('devices still on their SMSO are named one by one, at the bench (the pack leaves migrationState at dcc)', async () => {
    const far = hardware('elster', 'smso');
    const result = await preflight([pack], far.ask, { clock: 'wall', link: 'serial:/dev/ttyUSB0' });
    far.close();
    // `bench:` is line 11; its map starts at line 12, column 3
    expect(result.problems).toEqual(
      [
        'ESME at 00-DB-12-34-56-78-90-A0',
        'GSME at 00-DB-12-34-56-78-90-A1',
        'CH at 00-DB-12-34-56-78-90-A2',
        'PPMID at 00-DB-12-34-56-78-90-A3',
      ].map(
        (device) =>
          `${FILE}:12:3: pack 91342-elster wants the ${device} in migration state dcc; the far end has it in smso`,
      ),
    );
  });

  it('--clock harness against it is refused: only smets1 emulate --clock harness moves in lockstep', async () => {
    const far = hardware('elster', 'dcc');
    const result = await preflight([pack], far.ask, { clock: 'harness', link: 'serial:/dev/ttyUSB0' });
    far.close();
    expect(result.problems).toEqual([
      'smets1 run --clock harness: the far end on serial:/dev/ttyUSB0 does not answer benchInfo, so it is no `smets1 emulate` (start it with --clock harness, or run without --clock harness against real hardware)',
    ]);
  });

  it('starting slots (risk 9) are refused: nothing over the link puts a certificate in a slot of real hardware', async () => {
    const risk9 = new URL('../../packs/defects/risk9.yaml', import.meta.url).pathname;
    const far = hardware('itron', 'dcc');
    const result = await preflight([loadPack(risk9)], far.ask, { clock: 'wall', link: 'serial:/dev/ttyUSB0' });
    far.close();
    // `slots:`' value is line 25, column 5: one line however many scenarios want it
    expect(result.problems).toEqual([
      `${risk9}:25:5: pack risk9 wants the ESME's networkOperator slot to start with 90-B3-D5-1F-30-02-00-09's certificate; the far end has real hardware on serial:/dev/ttyUSB0, which no bench control message sets up (no benchConfigure): run it against \`smets1 emulate\` without --state, or on --link mock or pty`,
    ]);
  });
});
