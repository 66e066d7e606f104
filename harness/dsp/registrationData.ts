/**
 * Registration Data as the DSP holds it: who supplies and who operates the network for each meter point (MPAN,
 * MPRN), which installation each device belongs to and its SMI status, which users exist in which roles, and the
 * DSP's record of who holds each device's network-operator certificate slot (the record risk 9 is about).
 */
import type { DeviceType } from '../duis/serviceCatalogue';
import type { UserRole } from './roleMatrix';

export type SmiStatus =
  | 'Pending'
  | 'Whitelisted'
  | 'InstalledNotCommissioned'
  | 'Commissioned'
  | 'Decommissioned'
  | 'Withdrawn'
  | 'Suspended'
  | 'Recovery'
  | 'Recovered';

export interface MeterPoint {
  readonly mpxn: string;
  readonly fuel: 'electricity' | 'gas';
  readonly installation: string;
  /** The registered supplier's user id (EUI). */
  readonly supplier: string;
  /** The DNO (electricity) or gas transporter (gas), user id. */
  readonly networkOperator: string;
}

export interface DeviceRecord {
  readonly deviceId: string;
  readonly deviceType: DeviceType;
  readonly installation: string;
  readonly smiStatus: SmiStatus;
}

export interface UserRecord {
  readonly userId: string;
  readonly roles: readonly UserRole[];
}

export interface RegistrationDataInit {
  readonly users: readonly UserRecord[];
  readonly meterPoints: readonly MeterPoint[];
  readonly devices: readonly DeviceRecord[];
  /** deviceId → the entity id the DSP records in the device's network-operator slot. */
  readonly networkOperatorSlots?: Readonly<Record<string, string>>;
}

const key = (eui: string) => eui.toUpperCase();

export class RegistrationData {
  private readonly users = new Map<string, UserRecord>();
  private readonly meterPoints = new Map<string, MeterPoint>();
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly slots = new Map<string, string>();

  constructor(init: RegistrationDataInit) {
    for (const u of init.users) this.users.set(key(u.userId), { ...u, userId: key(u.userId) });
    for (const m of init.meterPoints)
      this.meterPoints.set(m.mpxn, { ...m, supplier: key(m.supplier), networkOperator: key(m.networkOperator) });
    for (const d of init.devices) this.devices.set(key(d.deviceId), { ...d, deviceId: key(d.deviceId) });
    for (const [device, holder] of Object.entries(init.networkOperatorSlots ?? {}))
      this.slots.set(key(device), key(holder));
  }

  user(userId: string): UserRecord | undefined {
    return this.users.get(key(userId));
  }

  device(deviceId: string): DeviceRecord | undefined {
    return this.devices.get(key(deviceId));
  }

  /** The meter points of the device's installation that concern it: an ESME its MPAN(s), a GSME its MPRN, a CHF or PPMID both. */
  meterPointsOf(deviceId: string): MeterPoint[] {
    const device = this.device(deviceId);
    if (device === undefined) return [];
    const fuels =
      device.deviceType === 'ESME' ? ['electricity'] : device.deviceType === 'GSME' ? ['gas'] : ['electricity', 'gas'];
    return [...this.meterPoints.values()].filter(
      (m) => m.installation === device.installation && fuels.includes(m.fuel),
    );
  }

  networkOperatorSlotHolder(deviceId: string): string | undefined {
    return this.slots.get(key(deviceId));
  }

  /** After a successful 6.15.1 NetworkOperator replacement the DSP records the new holder. */
  recordNetworkOperatorSlot(deviceId: string, holder: string): void {
    this.slots.set(key(deviceId), key(holder));
  }

  setSmiStatus(deviceId: string, smiStatus: SmiStatus): void {
    const device = this.device(deviceId);
    if (device === undefined) throw new RangeError(`no device ${deviceId} in Registration Data`);
    this.devices.set(device.deviceId, { ...device, smiStatus });
  }
}

/** The user ids the DCC's RTDS templates use (supplier, network operator). */
export const RTDS_USERS = { supplier: '90-B3-D5-1F-30-01-00-00', networkOperator: '90-B3-D5-1F-30-02-00-00' } as const;
/** The device ids of the RTDS templates: ESME, GSME, CHF; the PPMID id is this project's (assumed). */
export const RTDS_DEVICES = {
  esme: '00-DB-12-34-56-78-90-A0',
  gsme: '00-DB-12-34-56-78-90-A1',
  chf: '00-DB-12-34-56-78-90-A2',
  ppmid: '00-DB-12-34-56-78-90-A3',
} as const;

/**
 * One home as the RTDS templates address it: MPAN 1312345678111 (the 8.11 template's ImportMPxN) and an MPRN
 * (assumed), one supplier for both fuels (IS and GS, as the templates' notes say), the network operator user as both
 * DNO (ED) and gas transporter (GT) (assumed: the templates have no separate GT), all devices Commissioned, and the
 * registered DNO in the ESME's network-operator slot. The devices are at the RTDS EUIs, or at a pack's own
 * (`bench.euis`: real devices) where `euis` gives them.
 */
export function rtdsRegistrationData(
  euis: Readonly<Partial<Record<'ESME' | 'GSME' | 'CH' | 'PPMID', string>>> = {},
): RegistrationData {
  const installation = 'RTDS-1';
  const ids = {
    esme: euis.ESME ?? RTDS_DEVICES.esme,
    gsme: euis.GSME ?? RTDS_DEVICES.gsme,
    chf: euis.CH ?? RTDS_DEVICES.chf,
    ppmid: euis.PPMID ?? RTDS_DEVICES.ppmid,
  };
  return new RegistrationData({
    users: [
      { userId: RTDS_USERS.supplier, roles: ['IS', 'GS'] },
      { userId: RTDS_USERS.networkOperator, roles: ['ED', 'GT'] },
    ],
    meterPoints: [
      {
        mpxn: '1312345678111',
        fuel: 'electricity',
        installation,
        supplier: RTDS_USERS.supplier,
        networkOperator: RTDS_USERS.networkOperator,
      },
      {
        mpxn: '1234567890',
        fuel: 'gas',
        installation,
        supplier: RTDS_USERS.supplier,
        networkOperator: RTDS_USERS.networkOperator,
      },
    ],
    devices: [
      { deviceId: ids.esme, deviceType: 'ESME', installation, smiStatus: 'Commissioned' },
      { deviceId: ids.gsme, deviceType: 'GSME', installation, smiStatus: 'Commissioned' },
      { deviceId: ids.chf, deviceType: 'CHF', installation, smiStatus: 'Commissioned' },
      { deviceId: ids.ppmid, deviceType: 'PPMID', installation, smiStatus: 'Commissioned' },
    ],
    networkOperatorSlots: { [ids.esme]: RTDS_USERS.networkOperator },
  });
}
