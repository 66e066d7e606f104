/**
 * The DUIS requests of a migration, made from the DCC's RTDS templates (the shapes the DCC publishes) with this
 * installation's originator, target, counter, certificates and times written in. RequestID counters come from one
 * source per run, strictly increasing (the gateway refuses a counter that does not increase, E42).
 */
import { findTemplate } from '../bench/rtdsTemplates';
import { markBuilt } from '../duis/builtDocuments';
import { certificateBase64 } from '../duis/certificateBase64';
import { requestDateTime } from '../duis/responses';
import { setRequestElements, type ElementValue } from '../duis/templateElements';

export type MigrationSrv = '7.4' | '8.9' | '6.13' | '6.15.1' | '6.23' | '6.22' | '8.1.1';

export interface MigrationRequest {
  readonly srv: MigrationSrv;
  readonly originator: string;
  readonly target: string;
  readonly counter: bigint;
  readonly xml: string;
  /** What it is for, in the log: `7.4 supply state`, `6.15.1 Supplier ← DCC`. */
  readonly label: string;
}

/** The RTDS template `name` with this request's RequestID and `values` written in (as text, never as markup). */
function fromTemplate(name: string, ids: Ids, values: readonly ElementValue[] = []): string {
  const found = findTemplate(name);
  if (found === undefined) throw new Error(`RTDS template ${name} is missing from @smartdcc/duis-templates`);
  return setRequestElements(
    found.xml,
    [['RequestID', `${ids.originator}:${ids.target}:${ids.counter}`], ...values],
    `RTDS template ${name}`,
  );
}

type Ids = { originator: string; target: string; counter: bigint };
// every shape these builders make is proven schema-valid (tests/migration/requestShapes.test.ts): the gateway's
// validator need not run libxml2 on them (harness/duis/builtDocuments.ts)
const request = (srv: MigrationSrv, label: string, ids: Ids, xml: string): MigrationRequest => ({
  srv,
  label,
  ...ids,
  xml: markBuilt(xml),
});

export const requests = {
  /** WAN pre-check of the ESME: SR 7.4 Read Supply Status (ECS45). */
  readSupplyStatus: (ids: Ids) => request('7.4', '7.4 read supply status', ids, fromTemplate('ECS45_7.4_SUCCESS', ids)),
  /** HAN pre-check: SR 8.9 Read Device Log of the CH (CCS06). */
  readDeviceLog: (ids: Ids) => request('8.9', '8.9 read CH device log', ids, fromTemplate('CCS06_8.9_SUCCESS', ids)),
  /** HAN pre-check of the GSME (a sleepy meter behind the CH): SR 6.13 read its event log (CS10a). */
  readGasEventLog: (ids: Ids) =>
    request('6.13', '6.13 read GSME event log', ids, fromTemplate('CS10a_6.13_SUCCESS', ids)),
  /** SR 6.23: the supplier's certificate installed by the transitional CoS party (supplierByTransCoS). */
  changeOfSupplier: (ids: Ids, certificateHex: string, mpxn: string, label: string) =>
    request(
      '6.23',
      label,
      ids,
      fromTemplate('CS02bSupplierByTransCoS_6.23_IMMEDIATE_SUCCESS', ids, [
        ['DigitalSigningCertificate', certificateBase64(certificateHex)],
        ['ImportMPxN', mpxn],
      ]),
    ),
  /** SR 6.15.1: replace the Supplier or NetworkOperator certificate (signed at the device by the slot's holder). */
  replaceKrp: (ids: Ids, role: 'Supplier' | 'NetworkOperator', certificateHex: string, label: string) =>
    request(
      '6.15.1',
      label,
      ids,
      fromTemplate(
        role === 'Supplier' ? 'CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS' : 'CS02bNOByNO_6.15.1_SUCCESS',
        ids,
        [['DigitalSigningCertificate', certificateBase64(certificateHex)]],
      ),
    ),
  /** Configuration: SR 6.22, the network operator's ESME alerts (ECS25b3: 0x8014 on, 0x8015 off). */
  configureAlerts: (ids: Ids) =>
    request('6.22', '6.22 network operator alert configuration', ids, fromTemplate('ECS25b3_6.22_SUCCESS', ids)),
  /** SR 8.1.1 Commission Device with the DCC's current time and a one-hour tolerance (GCS28Commission). */
  commission: (ids: Ids, nowMs: number) =>
    request(
      '8.1.1',
      '8.1.1 commission',
      ids,
      fromTemplate('GCS28Commission_8.1.1_SUCCESS', ids, [['CurrentDateTime', requestDateTime(new Date(nowMs))]]),
    ),
};
