/**
 * The DSP's access control for a device service request, as DUIS describes it: is the user a known SEC party (E1),
 * may one of its roles send this SRV (E2, from the DCC's request matrix), does this SMETS1 gateway carry the SRV at all
 * (the profile's "not supported" code, E11 by default), does the device exist (E19), does the SR apply to it (E11), is the user that role's registered party for the device's meter point (E4), does the SMI status
 * allow it (E5). 6.15.1 replacing the network-operator certificate adds the slot check of risk 9, in one of two
 * modes (slotCheck.ts): `slot-certificate` (today) or `registered-network-operator` (the fix).
 */
import type { DeviceType } from '../duis/serviceCatalogue';
import { supportedService } from '../duis/serviceCatalogue';
import { eligibleRoles, requestMatrixEntry, type UserRole } from './roleMatrix';
import type { MeterPoint, RegistrationData, SmiStatus } from './registrationData';
import { networkOperatorSlotRefusal, type SlotCheckMode } from './slotCheck';

export interface AccessRequest {
  readonly userId: string;
  readonly deviceId: string;
  readonly serviceReferenceVariant: string;
  /** For 6.15.1: the RemotePartyRole whose certificate is replaced (DUIS name, e.g. `NetworkOperator`). */
  readonly remotePartyRole?: string;
}

export type AccessFault =
  | 'unknown-user'
  | 'role-not-permitted'
  | 'unknown-device'
  | 'service-not-for-device-type'
  | 'unsupported-by-smets1'
  | 'not-authorised-for-device'
  | 'smi-status';

export type AccessDecision =
  | { readonly ok: true; readonly userRole: UserRole; readonly deviceType: DeviceType }
  | { readonly ok: false; readonly fault: AccessFault; readonly code: string; readonly message: string };

export interface AccessControlOptions {
  readonly slotCheck: SlotCheckMode;
  /**
   * SMI statuses in which a device SR is refused with E5 (inferred: a device that is decommissioned, withdrawn,
   * suspended or in recovery cannot be commanded; the public table gives the code, not the list).
   */
  readonly refusedStatuses?: readonly SmiStatus[];
  /** The code for a schema-known SRV the SMETS1 gateway does not carry (see duis/responseCodes.ts). */
  readonly unsupportedCode?: string;
}

const DEFAULT_REFUSED: readonly SmiStatus[] = ['Decommissioned', 'Withdrawn', 'Suspended', 'Recovery'];

export class AccessControl {
  constructor(
    readonly registration: RegistrationData,
    private readonly options: AccessControlOptions,
  ) {}

  check(request: AccessRequest): AccessDecision {
    const srv = request.serviceReferenceVariant;
    const user = this.registration.user(request.userId);
    if (user === undefined)
      return refuse('unknown-user', 'E1', `user ${request.userId} is not a SEC party in Registration Data`);
    const eligible = eligibleRoles(srv);
    const roles = user.roles.filter((r) => eligible.includes(r));
    if (roles.length === 0) {
      const name = requestMatrixEntry(srv)?.['Service Request Name'] ?? 'unknown';
      return refuse(
        'role-not-permitted',
        'E2',
        `SRV ${srv} (${name}) is for ${eligible.join(', ') || 'no user role'}; user ${request.userId} holds ${user.roles.join(', ')}`,
      );
    }
    const device = this.registration.device(request.deviceId);
    const service = supportedService(srv);
    // before the device lookup, so non-device SRVs (addressed to the DCC, not a device) get the same answer
    if (service === undefined) {
      const type = device === undefined ? '' : ` (${device.deviceType})`;
      return refuse(
        'unsupported-by-smets1',
        this.options.unsupportedCode ?? 'E11',
        `SRV ${srv} is not supported by this SMETS1 device${type}`,
      );
    }
    if (device === undefined)
      return refuse('unknown-device', 'E19', `device ${request.deviceId} is not in the DSP inventory`);
    if (!service.deviceTypes.includes(device.deviceType)) {
      return refuse(
        'service-not-for-device-type',
        'E11',
        `SRV ${srv} does not apply to a ${device.deviceType} (only ${service.deviceTypes.join(', ')})`,
      );
    }
    const meterPoints = this.registration.meterPointsOf(device.deviceId);
    const authorisedRole = roles.find((role) => authorises(role, user.userId, meterPoints));
    if (authorisedRole === undefined) {
      return refuse(
        'not-authorised-for-device',
        'E4',
        `user ${request.userId} (${roles.join(', ')}) is not the registered party for device ${device.deviceId} (meter points ${meterPoints.map((m) => m.mpxn).join(', ') || 'none'})`,
      );
    }
    if ((this.options.refusedStatuses ?? DEFAULT_REFUSED).includes(device.smiStatus)) {
      return refuse(
        'smi-status',
        'E5',
        `device ${device.deviceId} is ${device.smiStatus}; SRV ${srv} needs another SMI status`,
      );
    }
    if (srv === '6.15.1' && request.remotePartyRole === 'NetworkOperator') {
      const networkOperatorRole = roles.find(
        (role) => (role === 'ED' || role === 'GT') && authorises(role, user.userId, meterPoints),
      );
      const refusal = networkOperatorSlotRefusal({
        mode: this.options.slotCheck,
        requester: user.userId,
        networkOperatorRole,
        holder: this.registration.networkOperatorSlotHolder(device.deviceId),
        deviceId: device.deviceId,
        meterPoints: meterPoints.map((m) => m.mpxn),
      });
      if (refusal !== undefined) return refuse('not-authorised-for-device', 'E4', refusal);
      return { ok: true, userRole: networkOperatorRole ?? authorisedRole, deviceType: device.deviceType };
    }
    return { ok: true, userRole: authorisedRole, deviceType: device.deviceType };
  }
}

/**
 * Whether `role` makes the user a registered party for one of the meter points: suppliers by fuel, the DNO for
 * electricity, the gas transporter for gas. OU (other user) is not tied to meter points in Registration Data, so it is
 * authorised for any device its SRVs allow (decision; DUIS gives OU no device relationship to check).
 */
function authorises(role: UserRole, userId: string, meterPoints: readonly MeterPoint[]): boolean {
  switch (role) {
    case 'OU':
      return true;
    case 'IS':
      return meterPoints.some((m) => m.fuel === 'electricity' && m.supplier === userId);
    case 'GS':
      return meterPoints.some((m) => m.fuel === 'gas' && m.supplier === userId);
    case 'ED':
      return meterPoints.some((m) => m.fuel === 'electricity' && m.networkOperator === userId);
    case 'GT':
      return meterPoints.some((m) => m.fuel === 'gas' && m.networkOperator === userId);
    default:
      // ES (export supplier) and RSA are not modelled: no meter point names them
      return false;
  }
}

function refuse(fault: AccessFault, code: string, message: string): AccessDecision {
  return { ok: false, fault, code, message };
}
