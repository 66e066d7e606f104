/**
 * What a bench serves: device sets, each a vendor's CH + ESME + GSME (+ PPMID). A bench of N sets gives set 0 the
 * DCC RTDS template EUIs (ESME …-90-A0, GSME …-90-A1, CHF …-90-A2, PPMID …-90-A3) and each further set the same
 * pattern 0x10 higher in the last 32 bits, so every EUI on a bench is predictable from its set number.
 */
import { checkInstallCodes, joiningInstallCodes, type DeviceSetInput, type InstallCodes } from '../../devices/set';
import { euiFromHalves } from '../../protocols/eui64';
import type { QuirkOverrides } from '../../devices/quirks/registry';
import { benchCredentials, benchCredentialsWith } from './benchPki';

export type Vendor = 'itron' | 'elster';
export type Installation = 'dormant' | 'active';

export interface DeviceSetConfig {
  vendor: Vendor;
  installation: Installation;
  seed: number;
  ppmid: boolean;
  quirks?: QuirkOverrides;
  migrationState?: 'smso' | 'dcc';
  euis: { CH: string; ESME: string; GSME: string; PPMID?: string };
  /** Seed of the test PKI whose certificates fill every slot at start (benchPki.ts); none: empty slots. */
  pkiSeed?: string;
  /** Install codes of the joining devices (ESME, GSME, PPMID); any left out is the RTDS one. */
  installCodes?: InstallCodes;
  /**
   * Split supplier: the supplier entity id (`90-B3-D5-1F-30-01-00-01`) of a member whose supplier is not the bench
   * PKI's; its certificate comes from the same PKI (benchCredentialsWith). Needs pkiSeed. Default: every
   * member has the bench PKI's supplier.
   */
  suppliers?: Partial<Record<MemberType, string>>;
  /** The network operator entity id of a member whose network-operator slot starts with another party's (risk 9). Needs pkiSeed. */
  networkOperators?: Partial<Record<MemberType, string>>;
}

export type MemberType = 'CH' | 'ESME' | 'GSME' | 'PPMID';

const MEMBER_OFFSETS = { ESME: 0, GSME: 1, CH: 2, PPMID: 3 } as const;
const BASE_HI = 0x00db1234;
const BASE_LO = 0x567890a0;

export function setEuis(index: number, ppmid: boolean): DeviceSetConfig['euis'] {
  if (!Number.isInteger(index) || index < 0 || index >= 0x0fffffff)
    throw new RangeError(`set index ${index} is out of range`);
  const lo = BASE_LO + index * 0x10;
  // the high half is the bench's for every set; the low half wraps at 32 bits
  const member = (type: MemberType) => euiFromHalves(BASE_HI, (lo + MEMBER_OFFSETS[type]) >>> 0);
  const euis: DeviceSetConfig['euis'] = { ESME: member('ESME'), GSME: member('GSME'), CH: member('CH') };
  if (ppmid) euis.PPMID = member('PPMID');
  return euis;
}

export interface BenchOptions {
  vendor: Vendor;
  installation?: Installation;
  sets?: number;
  ppmid?: boolean;
  seed?: number;
  quirks?: QuirkOverrides;
  /** Install codes of the joining devices of every set; default the DCC RTDS template's (RTDS_INSTALL_CODE). */
  installCodes?: InstallCodes;
  /** Per-member suppliers of every set (DeviceSetConfig.suppliers). */
  suppliers?: DeviceSetConfig['suppliers'];
}

/**
 * N identical sets; set i's seed is seed + i, so sets differ but the bench is reproducible from one seed. All sets
 * share one SMSO test PKI, `smso-<seed>`: a harness derives the same keys to sign credential replacements.
 */
export function benchSets(options: BenchOptions): DeviceSetConfig[] {
  const count = options.sets ?? 1;
  const installCodes = checkInstallCodes(options.installCodes, 'bench');
  return Array.from({ length: count }, (_, i) => ({
    vendor: options.vendor,
    installation: options.installation ?? 'active',
    seed: (options.seed ?? 1) + i,
    ppmid: options.ppmid ?? true,
    quirks: options.quirks,
    euis: setEuis(i, options.ppmid ?? true),
    pkiSeed: `smso-${options.seed ?? 1}`,
    ...(Object.keys(installCodes).length > 0 ? { installCodes } : {}),
    ...(options.suppliers ? { suppliers: options.suppliers } : {}),
  }));
}

export function toSetInput(config: DeviceSetConfig): DeviceSetInput {
  return {
    vendor: config.vendor,
    installation: config.installation,
    seed: config.seed,
    ppmid: config.ppmid,
    quirks: config.quirks,
    migrationState: config.migrationState,
    euis: config.euis,
    ...(config.installCodes ? { installCodes: config.installCodes } : {}),
    ...(config.pkiSeed ? { credentials: benchCredentials(config.pkiSeed) } : {}),
    ...(config.suppliers || config.networkOperators ? { memberCredentials: memberCredentials(config) } : {}),
  };
}

function memberCredentials(config: DeviceSetConfig): NonNullable<DeviceSetInput['memberCredentials']> {
  const { pkiSeed, suppliers = {}, networkOperators = {} } = config;
  if (!pkiSeed)
    throw new Error(
      `bench config: ${config.suppliers ? 'suppliers' : 'network operators'} per device need a pkiSeed to issue their certificates`,
    );
  const members = [...new Set([...Object.keys(suppliers), ...Object.keys(networkOperators)])] as MemberType[];
  return Object.fromEntries(
    members.map((type) => [
      type,
      benchCredentialsWith(pkiSeed, { supplier: suppliers[type], networkOperator: networkOperators[type] }),
    ]),
  );
}
