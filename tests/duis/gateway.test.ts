import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { AccessControl } from '../../harness/dsp/accessControl';
import { RegistrationData, RTDS_DEVICES, RTDS_USERS, rtdsRegistrationData } from '../../harness/dsp/registrationData';
import { DuisGateway, type Admission, type RefusedRequest, type SignaturePolicy } from '../../harness/duis/gateway';
import { benchUserCertificates } from '../../harness/duis/requestSignatures';
import { DuisValidator } from '../../harness/duis/validator';
import { signDocument, withoutSignature } from '../../harness/duis/xmlSignature';
import { getterOf } from './getterOf';

const require = createRequire(import.meta.url);
const TEMPLATE_DIR = join(dirname(require.resolve('@smartdcc/duis-templates/package.json')), 'templates');
const template = (name: string) => readFileSync(join(TEMPLATE_DIR, name), 'utf8');
const CCS01 = template('CCS01_8.11_SUCCESS_REQUEST_DUIS.XML');
const ECS29a = template('ECS29a_6.5_SUCCESS_REQUEST_DUIS.XML');
const ECS34 = template('ECS34_6.12_SUCCESS_REQUEST_DUIS.XML');
const ECS52 = template('ECS52_11.2_SUCCESS_REQUEST_DUIS.XML');
const ECS42 = template('ECS42_7.1_REQUEST_DUIS.XML');
const CS03A1 = template('CS03A1_8.7.1_SUCCESS_REQUEST_DUIS.XML');

const NOW = new Date('2025-06-02T10:15:30.412Z');
const validator = DuisValidator.load();
const pki = benchPki('duis-gateway-test');
const directory = benchUserCertificates('duis-gateway-test');

function gateway(options: { registration?: RegistrationData; policy?: SignaturePolicy } = {}): DuisGateway {
  return new DuisGateway({
    validator,
    accessControl: new AccessControl(options.registration ?? rtdsRegistrationData(), { slotCheck: 'slot-certificate' }),
    now: () => NOW,
    ...(options.policy === undefined ? {} : { signatures: { policy: options.policy, directory } }),
  });
}

const refused = (a: Admission): RefusedRequest => {
  if (a.ok) throw new Error('expected a refusal');
  return a;
};
const withCounter = (xml: string, counter: number) => xml.replace(/(<sr:RequestID>[^<]*:)\d+</, `$1${counter}<`);
const withOriginator = (xml: string, eui: string) => xml.replace(/<sr:RequestID>[^:<]+:/, `<sr:RequestID>${eui}:`);
const withTarget = (xml: string, eui: string) => xml.replace(/(<sr:RequestID>[^:<]+:)[^:<]+:/, `$1${eui}:`);
const fromDno = (xml: string) => withOriginator(xml, RTDS_USERS.networkOperator);

describe('DuisGateway.admit: admitted requests', () => {
  it('admits the RTDS 8.11 Add as the import supplier and answers I99 with its RequestID and SR', async () => {
    const a = await gateway().admit(CCS01);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.userRole).toBe('IS');
    expect(a.request.body).toMatchObject({ kind: 'UpdateHANDeviceLog', change: { type: 'Add', joinTimePeriod: 90 } });
    expect(a.acknowledgement).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" ' +
        'xmlns:ra="http://www.dccinterface.co.uk/ResponseAndAlert" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" schemaVersion="5.4">' +
        '<sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:1002</sr:RequestID><sr:ResponseCode>I99</sr:ResponseCode>' +
        '<sr:ResponseDateTime>2025-06-02T10:15:30.412Z</sr:ResponseDateTime></sr:Header><sr:Body><sr:ResponseMessage>' +
        '<sr:ServiceReference>8.11</sr:ServiceReference><sr:ServiceReferenceVariant>8.11</sr:ServiceReferenceVariant></sr:ResponseMessage></sr:Body></sr:Response>',
    );
  });

  it("the I99, read after time has moved on, carries the admission's time, as text and as its tree", async () => {
    let now = new Date('2025-06-02T10:15:30.412Z');
    const moving = new DuisGateway({
      validator,
      accessControl: new AccessControl(rtdsRegistrationData(), { slotCheck: 'slot-certificate' }),
      now: () => now,
    });
    const a = await moving.admit(CCS01);
    if (!a.ok) throw new Error('expected an admission');
    now = new Date('2025-06-02T11:00:00.000Z');
    const time = a
      .acknowledgementDocument()
      .getElementsByTagNameNS('http://www.dccinterface.co.uk/ServiceUserGateway', 'ResponseDateTime')[0];
    expect(time.textContent).toBe('2025-06-02T10:15:30.412Z');
    expect(a.acknowledgement).toContain('<sr:ResponseDateTime>2025-06-02T10:15:30.412Z</sr:ResponseDateTime>');
  });

  it("reads every admission's I99 text and every refusal's response through one getter (getterOf)", async () => {
    const [first, second, bad, worse] = await gateway().admitAll([CCS01, withCounter(CCS01, 1003), '<a', '']);
    if (!first.ok || !second.ok || bad.ok || worse.ok) throw new Error('expected two admissions, two refusals');
    expect(typeof getterOf(first, 'acknowledgement')).toBe('function');
    expect(getterOf(second, 'acknowledgement')).toBe(getterOf(first, 'acknowledgement'));
    expect(typeof getterOf(bad, 'response')).toBe('function');
    expect(getterOf(worse, 'response')).toBe(getterOf(bad, 'response'));
  });

  it('admits 6.5 from the DNO (ED) and a CV7 signed pre-command for 7.1', async () => {
    const [voltage, preCommand] = await gateway().admitAll([ECS29a, ECS42]);
    expect(voltage).toMatchObject({ ok: true, userRole: 'ED' });
    expect(preCommand).toMatchObject({
      ok: true,
      userRole: 'IS',
      request: { commandVariant: 7, body: { kind: 'SignedPreCommand' } },
    });
  });
});

describe('DuisGateway.admit: each bad input gets its code and a response naming the fault', () => {
  let g: DuisGateway;
  beforeEach(() => {
    g = gateway();
  });

  it('malformed XML: E40 (assumed), no RequestID, the profile SR', async () => {
    const r = refused(
      await g.admit('<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"><sr:Header>'),
    );
    expect(r).toMatchObject({ kind: 'malformed-xml', code: 'E40' });
    expect(r.fault).toMatch(/^line \d+: not well-formed XML/);
    expect(r.response).not.toContain('<sr:RequestID>');
    expect(r.response).toContain('<sr:ResponseCode>E40</sr:ResponseCode>');
    expect(r.response).toContain(
      '<sr:ServiceReference>8.2</sr:ServiceReference><sr:ServiceReferenceVariant>8.2</sr:ServiceReferenceVariant>',
    );
  });

  it('an empty document and a schema-valid response sent as a request: E40 and E41, naming what was found', async () => {
    const [empty, response] = await g.admitAll([
      '',
      readFileSync(new URL('../fixtures/duis/01-ack-I99-8.11.xml', import.meta.url), 'utf8'),
    ]);
    expect(refused(empty)).toMatchObject({ kind: 'malformed-xml', code: 'E40' });
    expect(refused(response)).toMatchObject({
      kind: 'schema-invalid',
      code: 'E41',
      fault: 'the document element is Response, not sr:Request',
    });
  });

  it('JoinTimePeriod 3601: E41 (assumed) naming the element and the value, RequestID echoed', async () => {
    const r = refused(await g.admit(CCS01.replace('<sr:JoinTimePeriod>90<', '<sr:JoinTimePeriod>3601<')));
    expect(r).toMatchObject({ kind: 'schema-invalid', code: 'E41' });
    expect(r.fault).toContain(
      "line 14: Schemas validity error : Element '{http://www.dccinterface.co.uk/ServiceUserGateway}JoinTimePeriod': [facet 'maxInclusive'] The value '3601' is greater than the maximum value allowed ('3600').",
    );
    expect(r.response).toContain(
      '<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:1002</sr:RequestID><sr:ResponseCode>E41</sr:ResponseCode>',
    );
    expect(r.response).toContain('<sr:ServiceReference>8.11</sr:ServiceReference>');
  });

  it('an SRV the schema does not know: E41, the profile SR (the schema needs a known one)', async () => {
    const r = refused(
      await g.admit(CCS01.replace('<sr:ServiceReferenceVariant>8.11<', '<sr:ServiceReferenceVariant>8.99<')),
    );
    expect(r).toMatchObject({ kind: 'schema-invalid', code: 'E41' });
    expect(r.fault).toContain("'8.99' is not an element of the set");
    expect(r.response).toContain('<sr:ServiceReferenceVariant>8.2</sr:ServiceReferenceVariant>');
  });

  it('an SRV the schema knows but this SMETS1 gateway does not carry (11.2): E11, "not supported by this SMETS1 device"', async () => {
    const r = refused(await g.admit(ECS52));
    expect(r).toMatchObject({
      kind: 'unsupported-by-smets1',
      code: 'E11',
      fault: 'SRV 11.2 is not supported by this SMETS1 device (ESME)',
    });
    expect(r.response).toContain('<sr:ServiceReference>11.2</sr:ServiceReference>');
  });

  it('a non-device SRV (8.2 Read Inventory, addressed to the DCC) is "not supported", not an unknown device', async () => {
    const r = refused(await g.admit(template('8.2_READ_INVENTORY_REQUEST_DUIS.XML')));
    expect(r).toMatchObject({
      kind: 'unsupported-by-smets1',
      code: 'E11',
      fault: 'SRV 8.2 is not supported by this SMETS1 device',
    });
  });

  it('unknown device: E19', async () => {
    const r = refused(await g.admit(withTarget(CCS01, '00-DB-12-34-56-78-90-FF')));
    expect(r).toMatchObject({
      kind: 'unknown-device',
      code: 'E19',
      fault: 'device 00-DB-12-34-56-78-90-FF is not in the DSP inventory',
    });
  });

  it('unknown user: E1', async () => {
    const r = refused(await g.admit(withOriginator(CCS01, '90-B3-D5-1F-30-09-00-00')));
    expect(r).toMatchObject({
      kind: 'unknown-user',
      code: 'E1',
      fault: 'user 90-B3-D5-1F-30-09-00-00 is not a SEC party in Registration Data',
    });
  });

  it('6.5 from the supplier: E2 (ex 11), naming the eligible role', async () => {
    const r = refused(await g.admit(withOriginator(ECS29a, RTDS_USERS.supplier)));
    expect(r).toMatchObject({ kind: 'role-not-permitted', code: 'E2' });
    expect(r.fault).toBe(
      'SRV 6.5 (Update Device Configuration (Voltage)) is for ED; user 90-B3-D5-1F-30-01-00-00 holds IS, GS',
    );
  });

  it('6.5 to a GSME: E11, the SR does not apply to the device type', async () => {
    const r = refused(await g.admit(withTarget(ECS29a, RTDS_DEVICES.gsme)));
    expect(r).toMatchObject({
      kind: 'service-not-for-device-type',
      code: 'E11',
      fault: 'SRV 6.5 does not apply to a GSME (only ESME)',
    });
  });

  it('a DNO that is not the registered one for the MPAN: E4', async () => {
    const registration = new RegistrationData({
      users: [{ userId: '90-B3-D5-1F-30-02-00-99', roles: ['ED'] }],
      meterPoints: [
        {
          mpxn: '1312345678111',
          fuel: 'electricity',
          installation: 'h',
          supplier: RTDS_USERS.supplier,
          networkOperator: RTDS_USERS.networkOperator,
        },
      ],
      devices: [{ deviceId: RTDS_DEVICES.esme, deviceType: 'ESME', installation: 'h', smiStatus: 'Commissioned' }],
    });
    const r = refused(await gateway({ registration }).admit(withOriginator(ECS29a, '90-B3-D5-1F-30-02-00-99')));
    expect(r).toMatchObject({ kind: 'not-authorised-for-device', code: 'E4' });
    expect(r.fault).toBe(
      'user 90-B3-D5-1F-30-02-00-99 (ED) is not the registered party for device 00-DB-12-34-56-78-90-A0 (meter points 1312345678111)',
    );
  });

  it('a decommissioned device: E5', async () => {
    const registration = rtdsRegistrationData();
    registration.setSmiStatus(RTDS_DEVICES.chf, 'Decommissioned');
    const r = refused(await gateway({ registration }).admit(CCS01));
    expect(r).toMatchObject({
      kind: 'smi-status',
      code: 'E5',
      fault: 'device 00-DB-12-34-56-78-90-A2 is Decommissioned; SRV 8.11 needs another SMI status',
    });
  });

  it('out-of-range values: 6.5 average under above over is E060501 (assumed), 6.12 low above high the default E41', async () => {
    const voltage = refused(
      await g.admit(
        ECS29a.replace('<sr:AverageRMSUnderVoltageThreshold>200<', '<sr:AverageRMSUnderVoltageThreshold>270<'),
      ),
    );
    expect(voltage).toMatchObject({ kind: 'out-of-range', code: 'E060501' });
    expect(voltage.fault).toBe(
      '/Request/Body/UpdateDeviceConfigurationVoltage/SinglePhaseVoltageSettings: AverageRMSUnderVoltageThreshold 270 must be below AverageRMSOverVoltageThreshold 264',
    );
    const power = refused(
      await g.admit(ECS34.replace('<sr:LowMediumPowerThreshold>2300<', '<sr:LowMediumPowerThreshold>4600<')),
    );
    expect(power).toMatchObject({ kind: 'out-of-range', code: 'E41' });
    expect(power.fault).toBe(
      '/Request/Body/UpdateDeviceConfigurationInstantaneousPowerThreshold: LowMediumPowerThreshold 4600 must be below MediumHighPowerThreshold 4600',
    );
  });

  it('a replayed or lower RequestID counter: E42 (assumed), naming the counters; a higher one passes', async () => {
    expect((await g.admit(CCS01)).ok).toBe(true);
    const replay = refused(await g.admit(CCS01));
    expect(replay).toMatchObject({ kind: 'counter-not-increasing', code: 'E42' });
    expect(replay.fault).toBe(
      'RequestID counter 1002 from 90-B3-D5-1F-30-01-00-00 is not above its last accepted counter 1002 (replay)',
    );
    expect(refused(await g.admit(withCounter(CCS01, 1001))).code).toBe('E42');
    expect((await g.admit(withCounter(CCS01, 1003))).ok).toBe(true);
  });

  it('counters are per originator: the DNO at a lower counter than the supplier is fine', async () => {
    expect((await g.admit(withCounter(CCS01, 5000))).ok).toBe(true);
    expect((await g.admit(withCounter(ECS29a, 10))).ok).toBe(true);
  });

  it('every error response is valid against the schema (one batch)', async () => {
    const r = rtdsRegistrationData();
    r.setSmiStatus(RTDS_DEVICES.chf, 'Decommissioned');
    const inputs = [
      '<a><b></a>',
      CCS01.replace('<sr:JoinTimePeriod>90<', '<sr:JoinTimePeriod>3601<'),
      CCS01.replace('<sr:ServiceReferenceVariant>8.11<', '<sr:ServiceReferenceVariant>8.99<'),
      ECS52,
      withTarget(CCS01, '00-DB-12-34-56-78-90-FF'),
      withOriginator(withCounter(CCS01, 1), '90-B3-D5-1F-30-09-00-00'),
      withOriginator(withCounter(ECS29a, 2000), RTDS_USERS.supplier),
      withTarget(withCounter(ECS29a, 3000), RTDS_DEVICES.gsme),
      withCounter(ECS29a, 4000).replace(
        '<sr:AverageRMSUnderVoltageThreshold>200<',
        '<sr:AverageRMSUnderVoltageThreshold>270<',
      ),
      ECS29a,
    ];
    const admissions = await gateway({ registration: r }).admitAll(inputs);
    const responses = admissions.map((a, i) => ({ name: `case ${i}`, xml: a.ok ? a.acknowledgement : a.response }));
    expect(admissions.map((a) => (a.ok ? 'I99' : a.code))).toEqual([
      'E40',
      'E41',
      'E41',
      'E11',
      'E19',
      'E1',
      'E2',
      'E11',
      'E060501',
      'E42',
    ]);
    expect((await validator.validate(responses)).filter((v) => !v.valid)).toEqual([]);
  });
});

describe('DuisGateway: 6.15.1 NObyNO (RTDS CS02bNOByNO) and the slot check', () => {
  const NOBYNO = template('CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS.XML');
  const wrongSlot = () => {
    const registration = rtdsRegistrationData();
    registration.recordNetworkOperatorSlot(RTDS_DEVICES.esme, '90-B3-D5-1F-30-02-00-99');
    return registration;
  };

  it('is admitted when the DSP records the requesting DNO in the slot', async () => {
    expect(await gateway().admit(NOBYNO)).toMatchObject({
      ok: true,
      userRole: 'ED',
      request: { body: { kind: 'UpdateSecurityCredentialsKRP', remotePartyRole: 'NetworkOperator' } },
    });
  });

  it('is refused E4 in slot-certificate mode when another party holds the slot, admitted in registered-network-operator mode', async () => {
    const slotHolder = new DuisGateway({
      validator,
      accessControl: new AccessControl(wrongSlot(), { slotCheck: 'slot-certificate' }),
      now: () => NOW,
    });
    expect(refused(await slotHolder.admit(NOBYNO))).toMatchObject({ kind: 'not-authorised-for-device', code: 'E4' });
    const fixed = new DuisGateway({
      validator,
      accessControl: new AccessControl(wrongSlot(), { slotCheck: 'registered-network-operator' }),
      now: () => NOW,
    });
    expect((await fixed.admit(NOBYNO)).ok).toBe(true);
  });
});

describe('DuisGateway: --verify-signatures', () => {
  const supplier = pki.parties[2];
  const dno = pki.parties[3];
  const unsignedJoin = withoutSignature(CS03A1);

  it('admits a critical request signed by its originator with a supplier certificate', async () => {
    expect(await gateway({ policy: 'critical' }).admit(signDocument(unsignedJoin, supplier))).toMatchObject({
      ok: true,
      userRole: 'IS',
    });
  });

  it('refuses the RTDS placeholder signature (E44, assumed) and an unsigned critical request (E43, assumed)', async () => {
    const g = gateway({ policy: 'critical' });
    const placeholder = refused(await g.admit(CS03A1));
    expect(placeholder).toMatchObject({ kind: 'signature-invalid', code: 'E44' });
    const unsigned = refused(await g.admit(withCounter(unsignedJoin, 1001)));
    expect(unsigned).toMatchObject({
      kind: 'signature-missing',
      code: 'E43',
      fault: 'the request carries no ds:Signature',
    });
  });

  it('refuses a forged request: signed with another party key in the supplier name, or altered after signing', async () => {
    const g = gateway({ policy: 'critical' });
    const forged = refused(await g.admit(signDocument(unsignedJoin, dno)));
    expect(forged).toMatchObject({ kind: 'signature-invalid', code: 'E44' });
    expect(forged.fault).toMatch(/^the signature does not verify/);
    const altered = signDocument(withCounter(unsignedJoin, 2000), supplier).replace(
      '00-DB-12-34-56-78-90-9A',
      '00-DB-12-34-56-78-90-9B',
    );
    expect(refused(await g.admit(altered))).toMatchObject({
      kind: 'signature-invalid',
      code: 'E44',
      fault: 'the signature does not verify with the sender certificate',
    });
  });

  it('refuses a copy of a signature moved into the body (wrapping): the schema already has no place for it', async () => {
    const signed = signDocument(withCounter(unsignedJoin, 3000), supplier);
    const wrapped = signed.replace(
      '<sr:OtherDeviceID>',
      /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0] + '<sr:OtherDeviceID>',
    );
    expect(refused(await gateway({ policy: 'critical' }).admit(wrapped))).toMatchObject({
      kind: 'schema-invalid',
      code: 'E41',
    });
  });

  it('checks non-critical requests only with policy "all"', async () => {
    expect((await gateway({ policy: 'critical' }).admit(CCS01)).ok).toBe(true);
    expect(refused(await gateway({ policy: 'all' }).admit(CCS01))).toMatchObject({ code: 'E44' });
    expect((await gateway({ policy: 'all' }).admit(signDocument(withoutSignature(CCS01), supplier))).ok).toBe(true);
  });

  it('refuses a signature by a network operator certificate on an SRV only suppliers may send', async () => {
    const r = refused(
      await gateway({ policy: 'critical' }).admit(
        signDocument(withOriginator(unsignedJoin, RTDS_USERS.networkOperator), dno),
      ),
    );
    expect(r).toMatchObject({
      code: 'E44',
      fault: 'no valid certificate of 90-B3-D5-1F-30-02-00-00 in a role that may send this request (IS, GS)',
    });
  });
});
