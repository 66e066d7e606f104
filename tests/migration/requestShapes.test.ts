/**
 * Every shape the migration's request builders (harness/migration/requests.ts) can produce is valid DUIS 5.4: this
 * is what lets the gateway's validator take them without a libxml2 run (harness/duis/builtDocuments.ts). A builder
 * writes only leaf values into a fixed RTDS template: the RequestID (originator and target EUIs, a counter anywhere
 * in 0…2^64−1), a certificate (any DER the bench PKI issues: the SMSO's, the DCC parties', a split-supplier gas
 * supplier's), the installation's MPAN or MPRN, and a commissioning time. Each builder is run at the extremes of each.
 * The second part shows that the trust is taken only for a built document, once, and only by a trusting validator.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RTDS_DEVICES, RTDS_USERS } from '../../harness/dsp/registrationData';
import { DuisValidator } from '../../harness/duis/validator';
import { benchInstallation } from '../../harness/migration/installation';
import { dccSupplierParty, migrationParties } from '../../harness/migration/parties';
import { requests } from '../../harness/migration/requests';

const COUNTERS = [0n, 1n, 18_446_744_073_709_551_615n];
const originators = [
  RTDS_USERS.supplier,
  RTDS_USERS.networkOperator,
  '00-00-00-00-00-00-00-00',
  'FF-FF-FF-FF-FF-FF-FF-FF',
];
const targets = Object.values(RTDS_DEVICES);
const parties = migrationParties(1);
const certificates = [
  parties.smso[2],
  parties.smso[3],
  parties.dcc[2],
  parties.dcc[3],
  dccSupplierParty(1, '90-B3-D5-1F-30-0F-00-0F'),
].map((p) => p.certificate);
const installation = benchInstallation({ vendor: 'itron', kind: 'dormant' });
/** 1970, the bench's start (2026-01-01), the DUIS far end (9999-12-31T23:59:59.999Z). */
const TIMES = [0, Date.UTC(2026, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];

function allShapes(): { name: string; xml: string }[] {
  const shapes: { name: string; xml: string }[] = [];
  let k = 0;
  for (const originator of originators) {
    for (const target of targets) {
      for (const counter of COUNTERS) {
        const ids = { originator, target, counter };
        const certificate = certificates[k++ % certificates.length];
        const time = TIMES[k % TIMES.length];
        const built = {
          readSupplyStatus: requests.readSupplyStatus(ids),
          readDeviceLog: requests.readDeviceLog(ids),
          readGasEventLog: requests.readGasEventLog(ids),
          changeOfSupplierMpan: requests.changeOfSupplier(ids, certificate, installation.mpan, 'l'),
          changeOfSupplierMprn: requests.changeOfSupplier(ids, certificate, installation.mprn, 'l'),
          replaceSupplier: requests.replaceKrp(ids, 'Supplier', certificate, 'l'),
          replaceNetworkOperator: requests.replaceKrp(ids, 'NetworkOperator', certificate, 'l'),
          configureAlerts: requests.configureAlerts(ids),
          commission: requests.commission(ids, time),
        };
        for (const [builder, request] of Object.entries(built))
          shapes.push({ name: `${builder} ${originator} ${target} ${counter}`, xml: request.xml });
      }
    }
  }
  return shapes;
}

describe('the migration request builders', () => {
  it('produce only schema-valid DUIS 5.4 requests, at the extremes of every value they write', async () => {
    const shapes = allShapes();
    expect(shapes).toHaveLength(originators.length * targets.length * COUNTERS.length * 9);
    // every certificate and time is used by every builder somewhere in the product
    for (const certificate of certificates)
      expect(shapes.some((s) => s.xml.includes(Buffer.from(certificate, 'hex').toString('base64')))).toBe(true);
    expect(shapes.some((s) => s.xml.includes('<sr:CurrentDateTime>9999-12-31T23:59:59.99Z<'))).toBe(true);
    const invalid = (await DuisValidator.load().validate(shapes)).filter((r) => !r.valid);
    expect(invalid).toEqual([]);
  });
});

describe('a trusting validator (the gateway of a DuisBench)', () => {
  // a schema under which no document is valid: a document found valid was not run through libxml2
  const refusingDir = mkdtempSync(join(tmpdir(), 'refusing-schema-'));
  const emptySchema = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:nothing"/>\n';
  for (const file of ['DUIS-Schema-V5.4.xsd', 'MMC-Schema-V5.4.xsd', 'xmldsig-core-schema.xsd'])
    writeFileSync(join(refusingDir, file), emptySchema);
  afterAll(() => rmSync(refusingDir, { recursive: true, force: true }));
  const ids = { originator: RTDS_USERS.supplier, target: RTDS_DEVICES.esme, counter: 77n };

  it('takes a built request as valid once; the same text again, or from outside, is validated', async () => {
    const trusting = DuisValidator.load(refusingDir, { trustBuilt: true });
    const built = requests.readSupplyStatus(ids).xml;
    const [first, second] = await trusting.validate([
      { name: 'built', xml: built },
      { name: 'same text again', xml: built },
    ]);
    expect(first).toEqual({ name: 'built', wellFormed: true, valid: true, problems: [] });
    expect(second).toMatchObject({ name: 'same text again', wellFormed: true, valid: false });
    const outside = built.replace('<sr:RequestID>', '<sr:RequestID>\n');
    expect(await trusting.validateOne(outside, 'outside')).toMatchObject({ wellFormed: true, valid: false });
  });

  it('is opt-in: a validator by default validates built requests too', async () => {
    const built = requests.readSupplyStatus({ ...ids, counter: 78n }).xml;
    expect(await DuisValidator.load(refusingDir).validateOne(built, 'built')).toMatchObject({
      wellFormed: true,
      valid: false,
    });
  });
});
