/**
 * Test support: a DUIS bench for one installation awaiting migration, and an independent look at every device
 * afterwards (its slots over the bench link, its migration state, its SMI status in Registration Data). Slot holders
 * are named by comparing each slot's certificate with certificates this file issues itself from the bench PKI, not
 * with anything the orchestrator computes.
 */
import { DuisBench } from '../../harness/bench/duisBench';
import type { CommandInput } from '../../protocols/benchClient';
import type { ResponseMessage } from '../../protocols/messages';
import type { RequestName } from '../../protocols/messageTypes.generated';
import { RTDS_DEVICES } from '../../harness/dsp/registrationData';
import {
  benchInstallation,
  migrationRegistrationData,
  type InstallationKind,
} from '../../harness/migration/installation';
import type { MigrateOptions } from '../../harness/migration/orchestrator';
import { dccParties } from '../../harness/migration/parties';
import { benchPki } from '../../emulator/host/benchPki';
import { issueTestCertificate } from '../../common/credentials/testPki';

export const ESME = RTDS_DEVICES.esme;
export const GSME = RTDS_DEVICES.gsme;
export const CHF = RTDS_DEVICES.chf;
export const PPMID = RTDS_DEVICES.ppmid;

const pki = benchPki('smso-1');
/** The DCC-era supplier and network operator: RTDS user ids, key labels as docs/migration.md names them. */
const dccSupplier = issueTestCertificate(pki, {
  role: 2,
  entityId: '90-B3-D5-1F-30-01-00-00',
  keyLabel: 'migration/dcc/supplier',
});
const dccNetworkOperator = issueTestCertificate(pki, {
  role: 3,
  entityId: '90-B3-D5-1F-30-02-00-00',
  keyLabel: 'migration/dcc/networkOperator',
});

export async function migrationBench(
  vendor: 'itron' | 'elster',
  kind: InstallationKind,
  overrides: Parameters<typeof benchInstallation>[0] extends infer O ? Partial<O> : never = {},
) {
  const installation = benchInstallation({ vendor, kind, ...overrides });
  const bench = await DuisBench.start({
    vendor,
    migrationState: 'smso',
    registration: migrationRegistrationData(installation),
    keyParties: dccParties(1, overrides.gasSupplier),
    s1sp: { fixes: new Set(['response-code-always']) },
  });
  return { bench, installation };
}

/** The gas meter's HAN lost (every message) or back. */
export const gasLost = (bench: DuisBench, lost: boolean) =>
  bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: lost ? 1 : 0 });

/**
 * `migrate()`'s options for a migration whose first attempt loses the gas meter at its supplier swap, so the
 * electricity meter's swaps are rolled back and made again on a second attempt: credential replacements between
 * the first responses and alerts and the end of the run.
 */
export function gasLostAtFirstSwap(installation: MigrateOptions['installation']): MigrateOptions {
  return {
    installation,
    beforeStep: async (hook) => {
      if (hook.attempt === 1 && hook.name === 'credentialSwap' && hook.device === GSME && hook.role === 2)
        await gasLost(hook.bench, true);
      if (hook.name === 'rollback') await gasLost(hook.bench, false);
    },
  };
}

type Holder = 'smso' | 'dcc' | 'other';
export interface DeviceState {
  readonly slots: string;
  readonly migrationState: string;
  readonly smi: string | undefined;
}

/** Each device: slot holders 0–6 as `smso smso dcc …`, its own migration state, its SMI status in Registration Data. */
export function deviceStates(bench: DuisBench): Promise<Record<string, DeviceState>> {
  return readDeviceStates(
    (eui, command) => bench.command(eui, command),
    (eui) => bench.registration.device(eui)?.smiStatus,
  );
}

/** The same over any bench-protocol client (a TCP harness to `smets1 emulate`), SMI statuses from `smiOf`. */
export async function readDeviceStates(
  command: <N extends RequestName>(eui: string, command: CommandInput<N>) => Promise<ResponseMessage<N>>,
  smiOf: (eui: string) => string | undefined,
): Promise<Record<string, DeviceState>> {
  // the GSME's commands cross its lossy HAN: reads for checking must not be lost, nor fail the check
  await command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: 0 });
  const states: Record<string, DeviceState> = {};
  for (const [name, eui] of Object.entries({ ESME, GSME, CHF, PPMID })) {
    const holders: Holder[] = [];
    for (let role = 0; role <= 6; role++) {
      const response = await command(eui, { type: 'readCredentials', role });
      const certificate = String(response.body?.certificate ?? '');
      const smso = pki.parties[role as 0].certificate;
      const dcc = role === 2 ? dccSupplier.certificate : role === 3 ? dccNetworkOperator.certificate : undefined;
      holders.push(certificate === smso ? 'smso' : certificate === dcc ? 'dcc' : 'other');
    }
    const info = await command(eui, { type: 'readDeviceInfo' });
    states[name] = { slots: holders.join(' '), migrationState: String(info.body?.migrationState), smi: smiOf(eui) };
  }
  return states;
}

const SMSO = 'smso smso smso smso smso smso smso';
const MIGRATED = 'smso smso dcc dcc smso smso smso';
/** Written out: what each device holds when the installation is untouched / fully migrated / electricity only. */
export const UNTOUCHED: Record<string, DeviceState> = {
  ESME: { slots: SMSO, migrationState: 'smso', smi: 'InstalledNotCommissioned' },
  GSME: { slots: SMSO, migrationState: 'smso', smi: 'InstalledNotCommissioned' },
  CHF: { slots: SMSO, migrationState: 'smso', smi: 'InstalledNotCommissioned' },
  PPMID: { slots: SMSO, migrationState: 'smso', smi: 'InstalledNotCommissioned' },
};
export const FULLY_MIGRATED: Record<string, DeviceState> = {
  ESME: { slots: MIGRATED, migrationState: 'dcc', smi: 'Commissioned' },
  GSME: { slots: MIGRATED, migrationState: 'dcc', smi: 'Commissioned' },
  CHF: { slots: SMSO, migrationState: 'smso', smi: 'Commissioned' },
  PPMID: { slots: SMSO, migrationState: 'dcc', smi: 'Commissioned' },
};
export const ELECTRICITY_ONLY: Record<string, DeviceState> = {
  ESME: { slots: MIGRATED, migrationState: 'dcc', smi: 'Commissioned' },
  GSME: { slots: SMSO, migrationState: 'smso', smi: 'InstalledNotCommissioned' },
  CHF: { slots: SMSO, migrationState: 'smso', smi: 'Commissioned' },
  PPMID: { slots: SMSO, migrationState: 'dcc', smi: 'Commissioned' },
};

/** `name device slot outcome` per step, for exact comparison. */
export function stepSummary(
  steps: readonly { attempt: number; name: string; device?: string; role?: number; outcome: string }[],
): string[] {
  const short = (eui?: string) => (eui === undefined ? '' : ` ${eui.slice(-2)}`);
  return steps.map(
    (s) => `${s.attempt} ${s.name}${short(s.device)}${s.role === undefined ? '' : ` slot${s.role}`} ${s.outcome}`,
  );
}
