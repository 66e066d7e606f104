import { ALL_ROLES, REMOTE_PARTY_ROLES as R, type RemotePartyRole } from './roles';

/**
 * GBCS CS02b "Update Security Credentials" replacement modes (SR 6.15.1 KRP, 6.23 CoS) the emulated devices accept.
 *
 * Each mode is data: which slots it may replace, and which slot's key must have signed the request. A device
 * authenticates the request with the key in `signedBy` as it is now, so a party can only be displaced by whoever
 * holds the key currently trusted for that mode (risk 9: a wrong network operator certificate in slot 3 is
 * replaceable by NObyNO only with the wrong holder's signature; the fixed path is NObyACB, below).
 *
 * `gbcsCode` is GBCS's CredentialsReplacementMode value (2 to 9, confirmed against SmartDCC's gbcs-parser; 0
 * rootBySupplier and 1 rootByWanProvider exist in GBCS but are out of scope), null for NObyACB, which is not a
 * GBCS mode (docs/credentials.md: the device side of risk 9's fix). For an "XbyY" mode the replaced slot
 * X and the signing slot Y are GBCS's own naming. `assumed` lists the fields that no public source confirmed,
 * with a `note` giving this project's reading.
 *
 * The array order is part of the signed-data format (replacementSignedData uses the index, the wire enum in protocols/commandTable.ts the same order): append, never reorder.
 */
export interface ReplacementMode {
  readonly name: ReplacementModeName;
  readonly gbcsCode: number | null;
  /** Slots this mode may replace. */
  readonly targetRoles: readonly RemotePartyRole[];
  /** The slot whose current key must verify the request's signature. */
  readonly signedBy: RemotePartyRole;
  readonly assumed: readonly ('targetRoles' | 'signedBy')[];
  readonly note?: string;
}

export type ReplacementModeName =
  | 'supplierBySupplier'
  | 'NObyNO'
  | 'ACBbyACB'
  | 'WANPbyWANP'
  | 'TransCoSbyTransCoS'
  | 'supplierByTransCoS'
  | 'anyExceptAbnormalRootByRecovery'
  | 'anyByContingency'
  | 'NObyACB';

export const REPLACEMENT_MODES: readonly ReplacementMode[] = [
  { name: 'supplierBySupplier', gbcsCode: 2, targetRoles: [R.supplier], signedBy: R.supplier, assumed: [] },
  { name: 'NObyNO', gbcsCode: 3, targetRoles: [R.networkOperator], signedBy: R.networkOperator, assumed: [] },
  { name: 'ACBbyACB', gbcsCode: 4, targetRoles: [R.accessControlBroker], signedBy: R.accessControlBroker, assumed: [] },
  { name: 'WANPbyWANP', gbcsCode: 5, targetRoles: [R.wanProvider], signedBy: R.wanProvider, assumed: [] },
  {
    name: 'TransCoSbyTransCoS',
    gbcsCode: 6,
    targetRoles: [R.transitionalCoS],
    signedBy: R.transitionalCoS,
    assumed: [],
  },
  // change of supplier: the DCC's transitional CoS party installs the incoming supplier's certificate
  { name: 'supplierByTransCoS', gbcsCode: 7, targetRoles: [R.supplier], signedBy: R.transitionalCoS, assumed: [] },
  {
    name: 'anyExceptAbnormalRootByRecovery',
    gbcsCode: 8,
    targetRoles: ALL_ROLES.filter((role) => role !== R.root),
    signedBy: R.recovery,
    assumed: ['targetRoles'],
    note: 'assumed: every slot but root, recovery included (root replacement outside normal operation needs contingency)',
  },
  {
    name: 'anyByContingency',
    gbcsCode: 9,
    targetRoles: ALL_ROLES,
    signedBy: R.root,
    assumed: ['signedBy'],
    note: 'assumed: GBCS signs with a contingency key kept alongside the root trust anchor; modelled as the root slot key',
  },
  {
    // Risk 9's fix at the device: the DSP has checked the requesting DNO against Registration Data (not the slot),
    // and the DCC, as Access Control Broker, vouches for it by signing the replacement of the network operator slot.
    name: 'NObyACB',
    gbcsCode: null,
    targetRoles: [R.networkOperator],
    signedBy: R.accessControlBroker,
    assumed: ['targetRoles', 'signedBy'],
    note:
      "assumed: not a GBCS mode; the path the primer's risk 9 fix implies (the DCC, trusted by the device as ACB, " +
      'replaces the network operator slot once the DSP has matched the DNO to Registration Data); see docs/credentials.md',
  },
];

export function replacementModeIndex(name: string): number {
  return REPLACEMENT_MODES.findIndex((mode) => mode.name === name);
}
