import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  builtAcknowledgement,
  builtDccAlertN24,
  builtErrorResponse,
  builtSmets1ResponseMessage,
  deviceDateTime,
  requestDateTime,
  smets1SignedResponseTree,
  type BuiltResponse,
  type SignedResponse,
} from '../../harness/duis/responses';
import {
  deviceLogEntries,
  deviceTime,
  eventLog,
  executionOutcome,
  gasNetworkData,
  importRegisters,
  joinOutcome,
  singlePhaseNetworkData,
  supplyState,
} from '../../harness/duis/rspContent';
import { toXml, type XmlNode } from '../../harness/duis/xmlTree';
import { benchS1spParty, signSmets1Response } from '../../harness/duis/s1spSigner';
import { DuisValidator } from '../../harness/duis/validator';
import { signDocument, withoutSignature } from '../../harness/duis/xmlSignature';
import { parseXmlDocument } from '../../harness/duis/xmlDocument';
import { Document } from '../../harness/duis/dom/nodes';
import { cutElement, independentlyVerify } from './independentVerifier';
import { xmlCryptoSign } from './xmlCryptoOracle';

// What a DUIS user receives: the text of each built response (the harness's own readers take its tree).
const textOf =
  <A>(build: (input: A) => BuiltResponse) =>
  (input: A): string =>
    build(input).xml;
const acknowledgement = textOf(builtAcknowledgement);
const errorResponse = textOf(builtErrorResponse);
const dccAlertN24 = textOf(builtDccAlertN24);
const smets1ResponseMessage = textOf(builtSmets1ResponseMessage);
/**
 * A response signed by other means than the S1SP's signer, as text (its tree parsed from it, for the embedder's type;
 * the empty text has none, and the embedder reads only the text).
 */
const signedText = (xml: string): SignedResponse => ({
  xml,
  document: xml === '' ? new Document() : parseXmlDocument(xml).document,
});
/** The unsigned SMETS1SignedResponse document, as the S1SP signs it. */
const unsignedSmets1Response = (...args: Parameters<typeof smets1SignedResponseTree>) =>
  toXml(smets1SignedResponseTree(...args));

const FIXTURES = new URL('../fixtures/duis/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const s1sp = benchS1spParty('duis-test');
const validator = DuisValidator.load();

// Compares documents as trees (names, attributes, text, order), ignoring comments, whitespace and signatures: how the
// builders' output is held against the hand-written fixtures.
const treeParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});
const unsignedInner = (xml: string) =>
  xml.replace(/<sr:SMETS1SignedResponse[\s\S]*<\/sr:SMETS1SignedResponse>/, (inner) =>
    withoutSignature(inner).replace(/^<\?xml[^>]*\?>/, ''),
  );
// namespace declarations are dropped: the embedded SMETS1SignedResponse repeats its own (same URIs) to stay verifiable on its own
const tree = (xml: string) => treeParser.parse(withoutSignature(unsignedInner(xml)).replace(/ xmlns:\w+="[^"]*"/g, ''));

const USER = '90-B3-D5-1F-30-01-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';
const ESME = '00-DB-12-34-56-78-90-A0';
const CHF = '00-DB-12-34-56-78-90-A2';

const ack = acknowledgement({
  requestId: `${USER}:${CHF}:1748859330000`,
  serviceReference: '8.11',
  serviceReferenceVariant: '8.11',
  at: new Date('2025-06-02T10:15:30.412Z'),
});
const e2 = errorResponse({
  requestId: `${USER}:${ESME}:1748859340000`,
  code: 'E2',
  fault: 'SRV 6.5 is for ED',
  serviceReference: '6.5',
  serviceReferenceVariant: '6.5',
  at: new Date('2025-06-02T10:15:40.051Z'),
});
const hanLogSigned = signSmets1Response(
  {
    device: CHF,
    target: USER,
    counter: 1748859330000n,
    serviceReference: '8.11',
    serviceReferenceVariant: '8.11',
    timestamp: new Date('2025-06-02T10:16:02Z'),
  },
  { kind: 'response', rsp: { element: 'UpdateHANDeviceLogRsp', messageSuccess: true } },
  s1sp,
);
const hanLog = smets1ResponseMessage({
  requestId: `${USER}:${CHF}:1748859330000`,
  responseId: `${CHF}:${USER}:1748859330000`,
  responseCode: 'I0',
  at: new Date('2025-06-02T10:16:02.950Z'),
  serviceReference: '8.11',
  serviceReferenceVariant: '8.11',
  signed: hanLogSigned,
});
const krp = smets1ResponseMessage({
  requestId: `${DNO}:${ESME}:1748859331000`,
  responseId: `${ESME}:${DNO}:1748859331000`,
  responseCode: 'I0',
  at: new Date('2025-06-02T10:16:11.004Z'),
  serviceReference: '6.15',
  serviceReferenceVariant: '6.15.1',
  signed: signSmets1Response(
    {
      device: ESME,
      target: DNO,
      counter: 1748859331000n,
      serviceReference: '6.15',
      serviceReferenceVariant: '6.15.1',
      timestamp: new Date('2025-06-02T10:16:10Z'),
    },
    {
      kind: 'response',
      rsp: {
        element: 'UpdateSecurityCredentialsKRPRsp',
        messageSuccess: true,
        content: [
          executionOutcome({
            authorisingCounter: 1748859331000n,
            replacementMode: 'NetworkOperatorByNetworkOperator',
            seqNumberChange: { remotePartyRole: 'NetworkOperator', floorSeqNumber: 0n },
            outcomes: [
              {
                status: 'success',
                statusResponseCode: 0,
                certificateType: 'DigitalSigning',
                remotePartyRole: 'NetworkOperator',
                existingRemotePartyId: DNO,
                newRemotePartyId: DNO,
                existingCertificateHash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
                newCertificateHash: 'ERERERERERERERERERERERERERE=',
              },
            ],
          }),
        ],
      },
    },
    s1sp,
  ),
});
const networkData = smets1ResponseMessage({
  requestId: `${DNO}:${ESME}:1748859332000`,
  responseId: `${ESME}:${DNO}:1748859332000`,
  responseCode: 'I0',
  at: new Date('2025-06-02T10:16:20.551Z'),
  serviceReference: '4.10',
  serviceReferenceVariant: '4.10',
  signed: signSmets1Response(
    {
      device: ESME,
      target: DNO,
      counter: 1748859332000n,
      serviceReference: '4.10',
      serviceReferenceVariant: '4.10',
      timestamp: new Date('2025-06-02T10:16:20Z'),
    },
    {
      kind: 'response',
      rsp: {
        element: 'ReadNetworkDataRsp',
        messageSuccess: true,
        content: [
          singlePhaseNetworkData({
            overVoltageCounter: 3,
            underVoltageCounter: 0,
            profile: [
              { value: 241.3, timestamp: new Date('2025-06-01T00:30:00Z') },
              { value: 266.8, timestamp: new Date('2025-06-01T01:00:00Z') },
            ],
            measurementPeriod: 1800,
          }),
        ],
      },
    },
    s1sp,
  ),
});
const voltageFailure = smets1ResponseMessage({
  requestId: `${DNO}:${ESME}:1748859334000`,
  responseId: `${ESME}:${DNO}:1748859334000`,
  responseCode: 'I0',
  at: new Date('2025-06-02T10:16:41.300Z'),
  serviceReference: '6.5',
  serviceReferenceVariant: '6.5',
  signed: signSmets1Response(
    {
      device: ESME,
      target: DNO,
      counter: 1748859334000n,
      serviceReference: '6.5',
      serviceReferenceVariant: '6.5',
      timestamp: new Date('2025-06-02T10:16:41Z'),
    },
    {
      kind: 'response',
      rsp: { element: 'UpdateDeviceConfigurationVoltageRsp', messageSuccess: false },
      debug: [{ responseCode: 1, position: 1, error: 'EXAMPLE: voltage threshold not accepted by device' }],
    },
    s1sp,
  ),
});
const n24 = dccAlertN24({
  responseId: `90-B3-D5-1F-30-00-00-02:${USER}:1748859362000`,
  at: new Date('2025-06-02T10:16:02.990Z'),
  updateHanDeviceLogRequestId: `${USER}:${CHF}:1748859330000`,
});
const alert8F48 = smets1ResponseMessage({
  responseId: `${ESME}:${USER}:1748859400000`,
  responseCode: 'I0',
  at: new Date('2025-06-02T10:17:41.020Z'),
  signed: signSmets1Response(
    { device: ESME, target: USER, counter: 1748859400000n, timestamp: new Date('2025-06-02T10:17:40Z') },
    { kind: 'alert', alert: { code: 0x8f48, timestamp: new Date('2025-06-02T10:17:40Z') } },
    s1sp,
  ),
});
const alert8002 = smets1ResponseMessage({
  responseId: `${ESME}:${DNO}:1748859500000`,
  responseCode: 'I0',
  at: new Date('2025-06-02T10:18:21.480Z'),
  signed: signSmets1Response(
    { device: ESME, target: DNO, counter: 1748859500000n, timestamp: new Date('2025-06-02T10:18:20Z') },
    { kind: 'alert', alert: { code: 0x8002, timestamp: new Date('2025-06-02T10:18:20Z') } },
    s1sp,
  ),
});
const throttledAlert = smets1ResponseMessage({
  responseId: `${ESME}:${DNO}:1748859500001`,
  responseCode: 'I0',
  at: new Date('2025-06-02T10:18:22.000Z'),
  throttle: { sequenceId: 7, count: 1200 },
  signed: signSmets1Response(
    { device: ESME, target: DNO, counter: 1748859500001n, timestamp: new Date('2025-06-02T10:18:21Z') },
    { kind: 'alert', alert: { code: 0x8014, timestamp: new Date('2025-06-02T10:18:21Z') } },
    s1sp,
  ),
});
const throttledN24 = dccAlertN24({
  responseId: `90-B3-D5-1F-30-00-00-02:${USER}:1748859362001`,
  at: new Date('2025-06-02T10:16:03.000Z'),
  updateHanDeviceLogRequestId: `${USER}:${CHF}:1748859330001`,
  throttle: { sequenceId: 1, count: 2 },
});
const joinCritical = smets1ResponseMessage({
  requestId: `${USER}:${ESME}:1000`,
  responseId: `${ESME}:${USER}:1000`,
  responseCode: 'I0',
  at: new Date('2025-06-02T10:19:00.000Z'),
  serviceReference: '8.7',
  serviceReferenceVariant: '8.7.1',
  signed: signSmets1Response(
    { device: ESME, target: USER, counter: 1000n, serviceReference: '8.7', serviceReferenceVariant: '8.7.1' },
    {
      kind: 'response',
      rsp: {
        element: 'JoinServiceCriticalRsp',
        messageSuccess: true,
        content: [joinOutcome('joinResponseCode', 'success', 0)],
      },
    },
    s1sp,
  ),
});

/** One signed SMETS1 response per SR with structured content, to validate the content builders. */
function responseWith(srv: string, sr: string, device: string, element: string, content: XmlNode[]): string {
  return smets1ResponseMessage({
    requestId: `${USER}:${device}:2000`,
    responseId: `${device}:${USER}:2000`,
    responseCode: 'I0',
    at: new Date('2025-06-02T11:00:00.000Z'),
    serviceReference: sr,
    serviceReferenceVariant: srv,
    signed: signSmets1Response(
      {
        device,
        target: USER,
        counter: 2000n,
        serviceReference: sr,
        serviceReferenceVariant: srv,
        timestamp: new Date('2025-06-02T11:00:00Z'),
      },
      { kind: 'response', rsp: { element, messageSuccess: true, content } },
      s1sp,
    ),
  });
}
const GSME = '00-DB-12-34-56-78-90-A1';
const contentResponses = {
  gasNetworkData: responseWith('4.10', '4.10', GSME, 'ReadNetworkDataRsp', [
    gasNetworkData([{ value: '1.25', timestamp: new Date('2025-06-01T00:00:00Z') }]),
  ]),
  deviceLog: responseWith('8.9', '8.9', CHF, 'ReadDeviceLogRsp', [
    deviceLogEntries([
      { deviceId: ESME, deviceType: 'ESME' },
      { deviceId: '00-db-12-34-56-78-90-a3', deviceType: 'PPMID' },
    ]),
  ]),
  eventLog: responseWith('6.13', '6.13', ESME, 'ReadEventOrSecurityLogRsp', [
    eventLog([{ timestamp: new Date('2025-06-01T12:00:00Z'), code: 0x8f48 }]),
  ]),
  electricityRegister: responseWith('4.1.1', '4.1', ESME, 'ReadInstantaneousImportRegistersRsp', [
    importRegisters({ fuel: 'electricity', activeImportWh: 123456n }),
  ]),
  gasRegister: responseWith('4.1.1', '4.1', GSME, 'ReadInstantaneousImportRegistersRsp', [
    importRegisters({ fuel: 'gas', consumptionM3: '1234.567' }),
  ]),
  supply: responseWith('7.4', '7.4', ESME, 'ReadSupplyStatusRsp', [supplyState('Armed')]),
  clock: responseWith('6.11', '6.11', ESME, 'SynchroniseClockRsp', [deviceTime(new Date('2025-06-02T10:59:59Z'))]),
  commission: responseWith('8.1.1', '8.1', ESME, 'CommissionDeviceSynchroniseClockRsp', [
    deviceTime(new Date('2025-06-02T10:59:59Z')),
  ]),
  unjoin: responseWith('8.8.2', '8.8', ESME, 'UnjoinServiceNonCriticalRsp', [
    joinOutcome('unjoinResponseCode', 'success', 0),
  ]),
};

const built = {
  ...contentResponses,
  ack,
  e2,
  hanLog,
  krp,
  networkData,
  voltageFailure,
  n24,
  alert8F48,
  alert8002,
  throttledAlert,
  throttledN24,
  joinCritical,
};

describe('response builders', () => {
  it('every built response validates against the vendored schema (one batch)', async () => {
    const results = await validator.validate(Object.entries(built).map(([name, xml]) => ({ name, xml })));
    expect(results.filter((r) => !r.valid)).toEqual([]);
  });

  it('write the structured Rsp contents exactly (content builders)', () => {
    expect(cutElement(contentResponses.deviceLog, 'ra:ReadDeviceLogRsp')).toBe(
      '<ra:ReadDeviceLogRsp MessageSuccess="true"><ra:DeviceLogEntries><ra:LogEntry><ra:DeviceID>00-DB-12-34-56-78-90-A0</ra:DeviceID><ra:DeviceType>ESME</ra:DeviceType></ra:LogEntry>' +
        '<ra:LogEntry><ra:DeviceID>00-DB-12-34-56-78-90-A3</ra:DeviceID><ra:DeviceType>PPMID</ra:DeviceType></ra:LogEntry></ra:DeviceLogEntries></ra:ReadDeviceLogRsp>',
    );
    expect(cutElement(contentResponses.eventLog, 'ra:Log')).toBe(
      '<ra:Log><ra:LogEntry><ra:Timestamp>2025-06-01T12:00:00Z</ra:Timestamp><ra:LogCode>8F48</ra:LogCode></ra:LogEntry></ra:Log>',
    );
    expect(cutElement(contentResponses.electricityRegister, 'ra:Electricity')).toBe(
      '<ra:Electricity><ra:ActiveImportRegister><ra:Value>123456</ra:Value><ra:ActiveEnergyUnit>Wh</ra:ActiveEnergyUnit></ra:ActiveImportRegister></ra:Electricity>',
    );
    expect(cutElement(contentResponses.unjoin, 'ra:unjoinResponseCode')).toBe(
      '<ra:unjoinResponseCode ResponseCode="0"><ra:ASN1Status>success</ra:ASN1Status></ra:unjoinResponseCode>',
    );
    expect(() => gasNetworkData(Array.from({ length: 42 }, () => ({ value: 1, timestamp: new Date(0) })))).toThrow(
      'a gas network data log holds at most 41 entries, not 42',
    );
  });

  it('write the header in schema order: RequestID, ResponseID, ResponseCode, ResponseDateTime', () => {
    const header = /<sr:Header>([\s\S]*?)<\/sr:Header>/.exec(hanLog)![1];
    expect([...header.matchAll(/<sr:(\w+)>/g)].map((m) => m[1])).toEqual([
      'RequestID',
      'ResponseID',
      'ResponseCode',
      'ResponseDateTime',
    ]);
  });

  it.each([
    ['ack', '01-ack-I99-8.11.xml'],
    ['e2', '11-error-E2-role-not-permitted.xml'],
    ['hanLog', '03-smets1-I0-8.11-UpdateHANDeviceLogRsp.xml'],
    ['krp', '04-smets1-I0-6.15.1-UpdateSecurityCredentialsKRPRsp.xml'],
    ['networkData', '05-smets1-I0-4.10-ReadNetworkDataRsp.xml'],
    ['n24', '08-dcc-alert-N24-UpdateHANDeviceLogResult.xml'],
    ['alert8F48', '09-smets1-device-alert-8F48.xml'],
    ['alert8002', '10-smets1-device-alert-8002.xml'],
  ] as const)('%s has exactly the shape and values of fixture %s (signatures aside)', (key, file) => {
    expect(tree(built[key])).toEqual(tree(fixture(file)));
  });

  it('writes the failure detail as DebugInfo/SMETS1Debug after SMETSData, MessageSuccess false (fixture 07 shape)', () => {
    const body = cutElement(voltageFailure, 'sr:ResponseMessage');
    expect(body).toBe(
      '<sr:ResponseMessage><ra:SMETSData><ra:UpdateDeviceConfigurationVoltageRsp MessageSuccess="false"/></ra:SMETSData>' +
        '<ra:DebugInfo><ra:SMETS1Debug><ra:SMETS1Response ResponseCode="1" Position="1"><ra:Error>EXAMPLE: voltage threshold not accepted by device</ra:Error>' +
        '</ra:SMETS1Response></ra:SMETS1Debug></ra:DebugInfo></sr:ResponseMessage>',
    );
  });

  it('puts ThrottledAlertSequenceId and ThrottledAlertCount before the signed response / the DCC alert body', () => {
    expect(throttledAlert).toContain(
      '<sr:SMETS1ResponseMessage><sr:ThrottledAlertSequenceId>7</sr:ThrottledAlertSequenceId><sr:ThrottledAlertCount>1200</sr:ThrottledAlertCount><sr:SMETS1SignedResponse',
    );
    expect(throttledN24).toContain(
      '<sr:DCCAlertCode>N24</sr:DCCAlertCode><sr:ThrottledAlertSequenceId>1</sr:ThrottledAlertSequenceId><sr:ThrottledAlertCount>2</sr:ThrottledAlertCount><sr:DCCAlert>',
    );
  });

  it('names the fault of an error response in a comment and leaves it unsigned', () => {
    expect(e2).toContain('<!-- E2: SRV 6.5 is for ED -->');
    expect(e2).not.toContain('Signature');
  });

  it('escapes text through the builder (no string concatenation of values)', async () => {
    const xml = unsignedSmets1Response(
      { device: ESME, target: USER, counter: 1n },
      {
        kind: 'response',
        rsp: { element: 'UpdateDeviceConfigurationVoltageRsp', messageSuccess: false },
        debug: [{ responseCode: 2, position: 1, error: 'a < b & c' }],
      },
    );
    expect(xml).toContain('<ra:Error>a &lt; b &amp; c</ra:Error>');
    expect((await validator.validateOne(signDocument(xml, s1sp))).valid).toBe(true);
  });

  it('refuses an alert code without a known description unless one is given', () => {
    expect(() =>
      unsignedSmets1Response(
        { device: ESME, target: USER, counter: 1n },
        { kind: 'alert', alert: { code: 0x1234, timestamp: new Date(0) } },
      ),
    ).toThrow('no GBCS description known for alert 0x1234; pass one');
  });
});

describe('S1SP signature on SMETS1SignedResponse', () => {
  const publicKey = new X509Certificate(Buffer.from(s1sp.certificate, 'hex')).publicKey;

  it('verifies with an independent verifier (libxml2 exclusive c14n + node:crypto), standalone', async () => {
    expect(await independentlyVerify(hanLogSigned.xml, publicKey)).toEqual({ digestOk: true, signatureOk: true });
  });

  it('still verifies once embedded in the DUIS response (exclusive c14n of the cut-out element)', async () => {
    for (const xml of [hanLog, krp, networkData, voltageFailure, alert8F48, throttledAlert]) {
      expect(await independentlyVerify(cutElement(xml, 'sr:SMETS1SignedResponse'), publicKey)).toEqual({
        digestOk: true,
        signatureOk: true,
      });
    }
  });

  it('is embedded as the bytes that were signed, so text a parser would read otherwise (a CR reference, quotes, markup) still verifies', async () => {
    const unsigned = unsignedSmets1Response(
      {
        device: ESME,
        target: USER,
        counter: 7n,
        serviceReference: '6.5',
        serviceReferenceVariant: '6.5',
        timestamp: new Date('2025-06-02T10:16:02Z'),
      },
      {
        kind: 'response',
        rsp: { element: 'UpdateDeviceConfigurationVoltageRsp', messageSuccess: false },
        debug: [{ responseCode: 2, position: 1, error: 'line 1 said "no" & <stop>' }],
      },
    );
    // a CR survives a parser only as a character reference: the builder never writes one, a signed document may hold one
    const signed = signDocument(unsigned.replace('line 1 said', 'line 1&#13;said'), s1sp);
    expect(signed).toContain('<ra:Error>line 1&#xD;said "no" &amp; &lt;stop&gt;</ra:Error>');
    const embedded = smets1ResponseMessage({
      requestId: `${USER}:${ESME}:7`,
      responseId: `${ESME}:${USER}:7`,
      responseCode: 'I0',
      at: new Date(0),
      signed: signedText(signed),
    });
    const cut = cutElement(embedded, 'sr:SMETS1SignedResponse');
    expect(cut).toBe(signed.replace('<?xml version="1.0" encoding="UTF-8"?>', ''));
    expect(await independentlyVerify(cut, publicKey)).toEqual({ digestOk: true, signatureOk: true });
    expect((await validator.validateOne(embedded)).valid).toBe(true);
  });

  it('signed from the built tree, byte for byte as signed from its text by this signer and by xml-crypto', () => {
    for (const xml of [hanLog, krp, networkData, voltageFailure, alert8F48, throttledAlert]) {
      const fromTree = `<?xml version="1.0" encoding="UTF-8"?>${cutElement(xml, 'sr:SMETS1SignedResponse')}`;
      const unsigned = withoutSignature(fromTree);
      expect(fromTree).toBe(signDocument(unsigned, s1sp));
      expect(fromTree).toBe(xmlCryptoSign(unsigned, s1sp));
    }
  });

  it('refuses to embed anything but a signed SMETS1SignedResponse document', () => {
    const embed = (signed: string) => () =>
      smets1ResponseMessage({ responseId: 'x', responseCode: 'I0', at: new Date(0), signed: signedText(signed) });
    expect(embed('<sr:Response xmlns:sr="urn:x"/>')).toThrow(
      'the signed response is not a signed sr:SMETS1SignedResponse document',
    );
    expect(embed('')).toThrow('the signed response is not a signed sr:SMETS1SignedResponse document');
  });

  it('fails the digest when a signed value is changed, and the signature under another key', async () => {
    const tampered = cutElement(hanLog, 'sr:SMETS1SignedResponse').replace(
      '<ra:OriginatorCounter>1748859330000<',
      '<ra:OriginatorCounter>1748859330001<',
    );
    expect((await independentlyVerify(tampered, publicKey)).digestOk).toBe(false);
    const other = benchS1spParty('duis-test', { entityId: '90-B3-D5-1F-30-00-00-09' });
    expect((await independentlyVerify(hanLogSigned.xml, other.publicKey)).signatureOk).toBe(false);
  });

  it('is deterministic: the same response and key give the same bytes', () => {
    const again = signSmets1Response(
      {
        device: CHF,
        target: USER,
        counter: 1748859330000n,
        serviceReference: '8.11',
        serviceReferenceVariant: '8.11',
        timestamp: new Date('2025-06-02T10:16:02Z'),
      },
      { kind: 'response', rsp: { element: 'UpdateHANDeviceLogRsp', messageSuccess: true } },
      s1sp,
    );
    expect(again.xml).toBe(hanLogSigned.xml);
  });

  it('uses ECDSA-SHA256, exclusive c14n, enveloped, SHA-256 and carries the S1SP certificate', () => {
    const signature = cutElement(hanLogSigned.xml, 'ds:Signature');
    expect([...signature.matchAll(/Algorithm="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'http://www.w3.org/2001/10/xml-exc-c14n#',
      'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
      'http://www.w3.org/2001/04/xmlenc#sha256',
    ]);
    expect(signature).toContain('<ds:Reference URI="">');
    expect(signature).toContain(
      `<ds:X509Certificate>${Buffer.from(s1sp.certificate, 'hex').toString('base64')}</ds:X509Certificate>`,
    );
  });
});

describe('date-times written into responses', () => {
  // expected texts written by hand (UTC, zero-padded), not by toISOString
  const cases: [Date, string, string][] = [
    [new Date(Date.UTC(2025, 5, 2, 10, 15, 30, 412)), '2025-06-02T10:15:30Z', '2025-06-02T10:15:30.412Z'],
    [new Date(Date.UTC(2031, 11, 31, 23, 59, 59, 5)), '2031-12-31T23:59:59Z', '2031-12-31T23:59:59.005Z'],
    [new Date(Date.UTC(2024, 1, 29, 0, 0, 0, 0)), '2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    [new Date(Date.UTC(2026, 0, 9, 7, 8, 9, 70)), '2026-01-09T07:08:09Z', '2026-01-09T07:08:09.070Z'],
    [new Date('0999-03-04T05:06:07.890Z'), '0999-03-04T05:06:07Z', '0999-03-04T05:06:07.890Z'],
    [new Date('0000-01-01T00:00:00.000Z'), '0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    [new Date('9999-12-31T23:59:59.999Z'), '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.999Z'],
    [new Date('+010000-01-01T00:00:00.001Z'), '+010000-01-01T00:00:00Z', '+010000-01-01T00:00:00.001Z'],
    [new Date('-000001-06-01T12:00:00.000Z'), '-000001-06-01T12:00:00Z', '-000001-06-01T12:00:00.000Z'],
  ];

  it('device timestamps in whole seconds, ResponseDateTime with milliseconds, both UTC', () => {
    for (const [at, device, response] of cases) {
      expect(deviceDateTime(at)).toBe(device);
      const ack = builtAcknowledgement({
        requestId: 'a:b:1',
        serviceReference: '8.9',
        serviceReferenceVariant: '8.9',
        at,
      });
      expect(ack.xml).toContain(`<sr:ResponseDateTime>${response}</sr:ResponseDateTime>`);
    }
  });

  it('an instant written twice, then others of the same second, the next second and seconds before 1970', () => {
    // a device response writes its instant twice (ra:Timestamp, then ResponseDateTime): the second is remembered
    const sequence: [string, string, string][] = [
      ['2026-01-01T00:00:00.250Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.250Z'],
      ['2026-01-01T00:00:00.999Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.999Z'],
      ['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:01Z', '2026-01-01T00:00:01.000Z'],
      ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59Z', '1969-12-31T23:59:59.999Z'],
      ['1969-12-31T23:59:59.001Z', '1969-12-31T23:59:59Z', '1969-12-31T23:59:59.001Z'],
      ['1969-12-31T23:59:58.500Z', '1969-12-31T23:59:58Z', '1969-12-31T23:59:58.500Z'],
      // from the last second before 1970 straight into the first after: a second truncated toward zero is one
      ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59Z', '1969-12-31T23:59:59.999Z'],
      ['1970-01-01T00:00:00.400Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00.400Z'],
      ['2026-01-01T00:00:00.250Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.250Z'],
    ];
    for (const [iso, device, response] of sequence) {
      const at = new Date(iso);
      for (let twice = 0; twice < 2; twice++) {
        expect(deviceDateTime(at)).toBe(device);
        const ack = builtAcknowledgement({
          requestId: 'a:b:1',
          serviceReference: '8.9',
          serviceReferenceVariant: '8.9',
          at,
        });
        expect(ack.xml).toContain(`<sr:ResponseDateTime>${response}</sr:ResponseDateTime>`);
      }
    }
  });

  it('an invalid date is refused as toISOString refuses it', () => {
    expect(() => deviceDateTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => requestDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("a request's CurrentDateTime in hundredths, the milliseconds cut rather than rounded, beside the others of its second", () => {
    // each request instant between response instants of the same second and of others: one second is remembered
    const sequence: [string, string][] = [
      ['2026-01-01T01:30:16.000Z', '2026-01-01T01:30:16.00Z'],
      ['2026-01-01T01:30:16.999Z', '2026-01-01T01:30:16.99Z'],
      ['2026-01-01T01:30:16.005Z', '2026-01-01T01:30:16.00Z'],
      ['2024-02-29T23:59:59.125Z', '2024-02-29T23:59:59.12Z'],
      ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.99Z'],
      ['0999-03-04T05:06:07.890Z', '0999-03-04T05:06:07.89Z'],
      ['+010000-01-01T00:00:00.019Z', '+010000-01-01T00:00:00.01Z'],
      ['-000001-06-01T12:00:00.070Z', '-000001-06-01T12:00:00.07Z'],
    ];
    for (const [iso, request] of sequence) {
      const at = new Date(iso);
      expect(requestDateTime(at)).toBe(request);
      expect(deviceDateTime(at)).toBe(request.slice(0, -4) + 'Z');
      expect(requestDateTime(at)).toBe(request);
      expect(requestDateTime(new Date(at.getTime() + 1000))).not.toBe(request);
    }
  });
});
