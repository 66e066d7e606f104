import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuisRequest } from '../../harness/duis/request';
import { supportedServiceVariants } from '../../harness/duis/serviceCatalogue';
import { DuisValidator } from '../../harness/duis/validator';
import { withoutSignature } from '../../harness/duis/xmlSignature';
import { CARRIED_SRVS as IN_SCOPE } from '../support/carriedServices';

// The DCC's RTDS request templates, read straight from the installed package's folder.
const require = createRequire(import.meta.url);
const TEMPLATE_DIR = join(dirname(require.resolve('@smartdcc/duis-templates/package.json')), 'templates');

const all = readdirSync(TEMPLATE_DIR)
  .filter((f) => f.endsWith('.XML'))
  .map((name) => ({ name, xml: readFileSync(join(TEMPLATE_DIR, name), 'utf8') }));
const srvOf = (xml: string) => /<sr:ServiceReferenceVariant>([^<]+)</.exec(xml)![1];
const inScope = all.filter((t) => IN_SCOPE.includes(srvOf(t.xml)));
const byNameXml = (name: string) => all.find((t) => t.name === name)!.xml;
const byName = (name: string) => parseDuisRequest(byNameXml(name));

describe('RTDS templates (@smartdcc/duis-templates 0.5) for the SRs in scope', () => {
  it('cover every SRV in scope, which is exactly what the gateway carries', () => {
    expect([...supportedServiceVariants()].sort()).toEqual([...IN_SCOPE].sort());
    expect(new Set(inScope.map((t) => srvOf(t.xml)))).toEqual(new Set(IN_SCOPE));
    expect(inScope.length).toBeGreaterThanOrEqual(50);
  });

  it('all validate against the vendored schema in one batch', async () => {
    const results = await DuisValidator.load().validate(inScope);
    expect(results.filter((r) => !r.valid)).toEqual([]);
  });

  it('all parse into typed requests whose body kind matches the SRV', () => {
    const kindBySrv: Record<string, string> = {
      '8.11': 'UpdateHANDeviceLog',
      '8.7.1': 'JoinService',
      '8.7.2': 'JoinService',
      '8.8.1': 'UnjoinService',
      '8.8.2': 'UnjoinService',
      '8.9': 'ReadDeviceLog',
      '8.1.1': 'CommissionDevice',
      '6.15.1': 'UpdateSecurityCredentialsKRP',
      '6.23': 'UpdateSecurityCredentialsCoS',
      '6.5': 'UpdateDeviceConfigurationVoltage',
      '6.12': 'InstantaneousPowerThreshold',
      '6.22': 'ConfigureAlertBehaviour',
      '6.7': 'UpdateDeviceConfigurationGasFlow',
      '6.13': 'ReadEventOrSecurityLog',
      '4.10': 'ReadNetworkData',
      '4.1.1': 'ReadInstantaneousImportRegisters',
      '7.1': 'EnableSupply',
      '7.2': 'DisableSupply',
      '7.3': 'ArmSupply',
      '7.4': 'ReadSupplyStatus',
      '6.11': 'SynchroniseClock',
      '1.6': 'UpdatePaymentMode',
      '2.2': 'TopUpDevice',
    };
    for (const t of inScope) {
      const request = parseDuisRequest(t.xml);
      const expected = request.commandVariant >= 5 ? 'SignedPreCommand' : kindBySrv[request.serviceReferenceVariant];
      expect(request.body?.kind, t.name).toBe(expected);
    }
  });

  it('reads of the signature only that it is there: the same request unsigned, or with any signature content', () => {
    const xml = byNameXml('CCS01_8.11_SUCCESS_REQUEST_DUIS.XML');
    const signed = parseDuisRequest(xml);
    const unsigned = parseDuisRequest(withoutSignature(xml));
    expect(signed.signed).toBe(true);
    expect(unsigned.signed).toBe(false);
    expect({ ...unsigned, signed: true }).toEqual(signed);
    const odd = xml.replace(
      /<ds:SignedInfo>[\s\S]*<\/ds:Signature>/,
      '<ds:Odd a="1">text<ds:Deeper/></ds:Odd></ds:Signature>',
    );
    expect(odd).not.toBe(xml);
    expect(parseDuisRequest(odd)).toEqual(signed);
  });

  it('reads CCS01 (8.11 Add) exactly: header, RequestID parts, join period, install code, MPxN', () => {
    const r = byName('CCS01_8.11_SUCCESS_REQUEST_DUIS.XML');
    expect(r.requestId).toEqual({
      originator: '90-B3-D5-1F-30-01-00-00',
      target: '00-DB-12-34-56-78-90-A2',
      counter: 1002n,
    });
    expect(r).toMatchObject({
      commandVariant: 1,
      serviceReference: '8.11',
      serviceReferenceVariant: '8.11',
      bodyElement: 'UpdateHANDeviceLog',
      signed: true,
      schemaVersion: '5.2',
    });
    expect(r.body).toEqual({
      kind: 'UpdateHANDeviceLog',
      deviceId: '00-DB-12-34-56-78-90-A0',
      change: {
        type: 'Add',
        joinTimePeriod: 90,
        installCode: '30313233343536373839414243444546',
        importMPxN: '1312345678111',
      },
    });
  });

  it('reads CCS02 (8.11 Remove), CS03A1 (8.7.1), ECS70 (8.1.1), ECS29a and ECS29b (6.5, single and polyphase) exactly', () => {
    expect(byName('CCS02_8.11_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UpdateHANDeviceLog',
      deviceId: '00-DB-12-34-56-78-90-A0',
      change: { type: 'Remove' },
    });
    expect(byName('CS03A1_8.7.1_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'JoinService',
      critical: true,
      otherDeviceId: '00-DB-12-34-56-78-90-9A',
    });
    expect(byName('ECS70Commission_8.1.1_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'CommissionDevice',
      currentDateTime: '2014-12-31T23:59:10.00Z',
      tolerancePeriod: 60,
    });
    const rms = {
      RMSExtremeOverVoltageMeasurementPeriod: 30,
      RMSExtremeOverVoltageThreshold: 287,
      RMSExtremeUnderVoltageMeasurementPeriod: 30,
      RMSExtremeUnderVoltageThreshold: 180,
      RMSVoltageSagMeasurementPeriod: 30,
      RMSVoltageSagThreshold: 216,
      RMSVoltageSwellMeasurementPeriod: 30,
      RMSVoltageSwellThreshold: 253,
    };
    expect(byName('ECS29a_6.5_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UpdateDeviceConfigurationVoltage',
      rms,
      average: [{ phase: 1, overThreshold: 264, underThreshold: 200, measurementPeriod: 30 }],
      polyPhase: false,
      countersNotReset: false,
    });
    expect(byName('ECS29b_6.5_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UpdateDeviceConfigurationVoltage',
      rms,
      average: [
        { phase: 1, overThreshold: 264, underThreshold: 200, measurementPeriod: 30 },
        { phase: 2, overThreshold: 126, underThreshold: 96, measurementPeriod: 30 },
        { phase: 3, overThreshold: 126, underThreshold: 96, measurementPeriod: 30 },
      ],
      polyPhase: true,
      countersNotReset: false,
    });
    expect(byName('ECS29c_6.5_SUCCESS_REQUEST_DUIS.XML').body).toMatchObject({
      polyPhase: false,
      countersNotReset: true,
    });
  });

  it('reads ECS02 and ECS03 (1.6: Credit, Prepayment, future-dated) and CS01a (2.2) exactly', () => {
    expect(byName('ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UpdatePaymentMode',
      mode: 'credit',
    });
    expect(byName('ECS03_1.6_IMMEDIATE_SINGLE_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UpdatePaymentMode',
      mode: 'prepayment',
    });
    expect(byName('ECS03_1.6_FUTURE_DATED_TWIN_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UpdatePaymentMode',
      mode: 'prepayment',
      executionDateTime: '2030-01-15T09:00:00.00Z',
    });
    expect(byName('CS01a_2.2_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'TopUpDevice',
      utrn: '73946144332040217315',
    });
  });

  it('reads CS02bNOByNO (6.15.1): the role, floor and both replacement certificates', () => {
    const body = byName('CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS.XML').body;
    expect(body?.kind).toBe('UpdateSecurityCredentialsKRP');
    if (body?.kind !== 'UpdateSecurityCredentialsKRP') return;
    expect(body.remotePartyRole).toBe('NetworkOperator');
    expect(body.floorSeqNumber).toBe(0n);
    expect(Object.keys(body.replacementCertificates).sort()).toEqual([
      'DigitalSigningCertificate',
      'KeyAgreementCertificate',
    ]);
    expect(body.replacementCertificates.DigitalSigningCertificate.startsWith('MIIBkzCCATigAwIBAgIQaKrIqRO8')).toBe(
      true,
    );
    // the certificate's first characters, copied from the template
    expect(body.certificationPath).toHaveLength(1);
    expect(
      body.certificationPath[0]!.startsWith('MIIBoDCCAUWgAwIBAgIQcYcr28gnibwUAc4BugatozAKBggqhkjOPQQDAjAaMQ'),
    ).toBe(true);
  });

  it('reads CS02bSupplierByTransCoS (6.23, future-dated): the execution time, the three certificates and the MPxN', () => {
    const body = byName('CS02bSupplierByTransCoS_6.23_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML').body;
    expect(body?.kind).toBe('UpdateSecurityCredentialsCoS');
    if (body?.kind !== 'UpdateSecurityCredentialsCoS') return;
    expect(body.executionDateTime).toBe('2030-01-02T00:00:00.00Z');
    expect(body.importMPxN).toBe('1312345678333');
    expect(Object.keys(body.replacementCertificates).sort()).toEqual([
      'DigitalSigningCertificate',
      'KeyAgreementCertificate',
      'KeyAgreementTopUpCertificate',
    ]);
  });

  it('reads CS04AC (8.8.1 critical, 8.8.2 non-critical) exactly, and a 7.2 with an execution time', () => {
    expect(byName('CS04ACCritical_8.8.1_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UnjoinService',
      critical: true,
      otherDeviceId: '00-DB-12-34-56-78-90-99',
    });
    expect(byName('CS04ACNonCritical_8.8.2_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UnjoinService',
      critical: false,
      otherDeviceId: '01-02-03-04-05-06-07-08',
    });
    // the RTDS 7.2 is immediate: given an execution time here, as a future-dated one carries it
    const futureDated = byNameXml('ECS43_7.2_SUCCESS_REQUEST_DUIS.XML').replace(
      '<sr:DisableSupply/>',
      '<sr:DisableSupply><sr:ExecutionDateTime>2030-03-01T00:00:00.00Z</sr:ExecutionDateTime></sr:DisableSupply>',
    );
    expect(parseDuisRequest(futureDated).body).toEqual({
      kind: 'DisableSupply',
      executionDateTime: '2030-03-01T00:00:00.00Z',
    });
  });

  it('reads ECS34 (6.12), ECS25a (6.22), GCS24 (6.7), CS10a (6.13), ECS23 (4.10) and GCS28 (6.11) exactly', () => {
    expect(byName('ECS34_6.12_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'InstantaneousPowerThreshold',
      lowMedium: 2300,
      mediumHigh: 4600,
    });
    expect(byName('ECS25a_6.22_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'ConfigureAlertBehaviour',
      alerts: [
        { group: 'SupplierESMECommon', code: 0x810d, setting: 'Enable' },
        { group: 'SupplierESMECommon', code: 0x810e, setting: 'Disable' },
        { group: 'SupplierESMEPolyPhase', code: 0x81b7, setting: 'Enable' },
      ],
    });
    // gas alerts are set per channel: the WANAlert channel is whether the GSME raises the alert to the DCC
    expect(byName('GCS20_6.22_SUCCESS_REQUEST_DUIS.XML').body).toMatchObject({
      kind: 'ConfigureAlertBehaviour',
      alerts: expect.arrayContaining([
        { group: 'GasSupplierAlertEventSettings', code: 0x810e, setting: 'Enable' },
        { group: 'GasSupplierAlertEventSettings', code: 0x8161, setting: 'Disable' },
        { group: 'GasSupplierAlertEventSettings', code: 0x81aa, setting: 'Enable' },
      ]),
    });
    expect(byName('GCS24_6.7_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'UpdateDeviceConfigurationGasFlow',
      settings: {
        UncontrolledGasFlowRate: '61680',
        SupplyDepletionState: 'Unchanged',
        SupplyTamperState: 'Unchanged',
        StabilisationPeriod: '60',
        MeasurementPeriod: '300',
      },
    });
    expect(byName('CS10a_6.13_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'ReadEventOrSecurityLog',
      logToRead: 'Event',
      period: { start: '2014-12-31T00:00:00.00Z', end: '2030-01-01T00:00:00.00Z' },
    });
    expect(byName('ECS23_4.10_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'ReadNetworkData',
      period: { start: '2014-12-29T23:59:00.00Z', end: '2015-01-01T00:00:00.00Z' },
    });
    expect(byName('GCS28_6.11_SUCCESS_REQUEST_DUIS.XML').body).toEqual({
      kind: 'SynchroniseClock',
      currentDateTime: '2014-12-31T23:30:00.00Z',
      tolerancePeriod: 3600,
    });
  });

  it('reads ECS42 (7.1, CV7) as the signed pre-command it carries', () => {
    const r = byName('ECS42_7.1_REQUEST_DUIS.XML');
    expect(r.commandVariant).toBe(7);
    expect(r.body).toEqual({
      kind: 'SignedPreCommand',
      gbcsPayload:
        '3wkBAAAAAAAAA+gIkLPVHzABAAAIANsSNFZ4kKAAAgBPFdkgAAPoAAEDAAkAAAoAav8BARIAM0CnbYT25T2NG3tYuLSmnAahxEnEiydCrn2cltJLqOTnydf78FlfHfzhb0KuWRZxkdArjlxnpQ7EQqMKCltwHQ5Y',
    });
  });

  it('parses a template of an SR out of scope with no typed body (recognised, not carried)', () => {
    const r = byName('ECS52_11.2_SUCCESS_REQUEST_DUIS.XML');
    expect(r.serviceReferenceVariant).toBe('11.2');
    expect(r.body).toBeNull();
  });
});
