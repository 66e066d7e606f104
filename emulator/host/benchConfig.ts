/**
 * What a bench serves: device sets, each a vendor's CH + ESME + GSME (+ PPMID). A bench of N sets gives set 0 the
 * DCC RTDS template EUIs (ESME …-90-A0, GSME …-90-A1, CHF …-90-A2, PPMID …-90-A3) and each further set the same
 * pattern 0x10 higher in the last 32 bits, so every EUI on a bench is predictable from its set number.
 */
import { checkInstallCodes, joiningInstallCodes, type DeviceSetInput, type InstallCodes } from '../../devices/set';
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

/** `n`'s 32 bits as four upper-case hex pairs, dash separated: `00-DB-12-34`. */
function euiHalf(n: number): string {
  const hex = (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `${hex.slice(0, 2)}-${hex.slice(2, 4)}-${hex.slice(4, 6)}-${hex.slice(6, 8)}`;
}

/** The bench EUIs' common high half, written once. */
const BASE_HI_TEXT = euiHalf(BASE_HI);

export function setEuis(index: number, ppmid: boolean): DeviceSetConfig['euis'] {
  if (!Number.isInteger(index) || index < 0 || index >= 0x0fffffff)
    throw new RangeError(`set index ${index} is out of range`);
  const lo = BASE_LO + index * 0x10;
  const euis: DeviceSetConfig['euis'] = {
    ESME: `${BASE_HI_TEXT}-${euiHalf(lo + MEMBER_OFFSETS.ESME)}`,
    GSME: `${BASE_HI_TEXT}-${euiHalf(lo + MEMBER_OFFSETS.GSME)}`,
    CH: `${BASE_HI_TEXT}-${euiHalf(lo + MEMBER_OFFSETS.CH)}`,
  };
  if (ppmid) euis.PPMID = `${BASE_HI_TEXT}-${euiHalf(lo + MEMBER_OFFSETS.PPMID)}`;
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

/** The install code each joining device of a set carries, as a bench user types it into an 8.11. */
export function installCodesOf(config: DeviceSetConfig): Record<'ESME' | 'GSME' | 'PPMID', string> {
  return joiningInstallCodes(config.installCodes);
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
