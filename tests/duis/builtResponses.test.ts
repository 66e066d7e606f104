// The `built…` response builders hand their tree along with their text, so the harness reads what it built without
// parsing it again: each reading here is held against values written by hand, and against the reading of a parse of
// the same text (what every other reader of the document sees).
import { describe, expect, it } from 'vitest';
import {
  builtOnDemand,
  builtAcknowledgement,
  builtDccAlertN24,
  builtErrorResponse,
  builtSmets1ResponseMessage,
} from '../../harness/duis/responses';
import { deviceLogEntries, supplyState } from '../../harness/duis/rspContent';
import { readDuisResponse } from '../../harness/duis/responseReader';
import { benchS1spParty, signSmets1Response } from '../../harness/duis/s1spSigner';
import { getterOf } from './getterOf';

const s1sp = benchS1spParty('built-responses-test');
const USER = '90-B3-D5-1F-30-01-00-00';
const ESME = '00-DB-12-34-56-78-90-A0';
const GSME = '00-DB-12-34-56-78-90-A1';
const CHF = '00-DB-12-34-56-78-90-A2';
const AT = new Date('2025-06-02T10:16:02.950Z');
// text a parser reads back otherwise than written if a writer forgets to escape it
const AWKWARD = `it's <sr:ResponseCode>I0</sr:ResponseCode> & "quoted" -- \r\n done`;

function signedMessage(
  body: Parameters<typeof signSmets1Response>[1],
  header: Partial<Parameters<typeof builtSmets1ResponseMessage>[0]> = {},
) {
  return builtSmets1ResponseMessage({
    requestId: `${USER}:${CHF}:1748859330000`,
    responseId: `${CHF}:${USER}:1748859330000`,
    responseCode: 'I0',
    at: AT,
    serviceReference: '8.9',
    serviceReferenceVariant: '8.9',
    ...header,
    signed: signSmets1Response(
      {
        device: CHF,
        target: USER,
        counter: 1748859330000n,
        serviceReference: '8.9',
        serviceReferenceVariant: '8.9',
        timestamp: new Date('2025-06-02T10:16:02Z'),
      },
      body,
      s1sp,
    ),
  });
}

describe('built responses read from their own tree', () => {
  it('an acknowledgement: I99 and its RequestID-less header fields', () => {
    const ack = builtAcknowledgement({
      requestId: `${USER}:${CHF}:1748859330000`,
      serviceReference: '8.9',
      serviceReferenceVariant: '8.9',
      at: AT,
    });
    expect(readDuisResponse(ack)).toEqual({ responseCode: 'I99' });
    expect(readDuisResponse(ack)).toEqual(readDuisResponse(ack.xml));
  });

  it('an error response: its code and the fault comment, awkward text read as written', () => {
    const error = builtErrorResponse({
      requestId: `${USER}:${ESME}:1`,
      code: 'E41',
      fault: AWKWARD,
      serviceReference: '7.4',
      serviceReferenceVariant: '7.4',
      at: AT,
    });
    const reading = readDuisResponse(error);
    expect(reading.responseCode).toBe('E41');
    // "--" (not allowed in a comment) is written "-"; CR LF as LF, as a parse of the text reads it
    expect(reading.fault).toBe(`E41: it's <sr:ResponseCode>I0</sr:ResponseCode> & "quoted" - \n done`);
    expect(reading).toEqual(readDuisResponse(error.xml));
  });

  it("a device's response: the signed SMETS1Response grafted in its slot (originator, Rsp, device log)", () => {
    const response = signedMessage({
      kind: 'response',
      rsp: {
        element: 'ReadDeviceLogRsp',
        messageSuccess: true,
        content: [
          deviceLogEntries([
            { deviceId: ESME.toLowerCase(), deviceType: 'ESME' },
            { deviceId: GSME, deviceType: 'GSME' },
          ]),
        ],
      },
    });
    const reading = readDuisResponse(response);
    expect(reading.responseCode).toBe('I0');
    expect(reading.responseId).toBe(`${CHF}:${USER}:1748859330000`);
    expect(reading.smets1).toEqual({
      originator: CHF,
      rsp: { element: 'ReadDeviceLogRsp', messageSuccess: true, deviceLogIds: [ESME, GSME] },
      debugEntries: [],
    });
    expect(reading).toEqual(readDuisResponse(response.xml));
  });

  it("a device's refusal: the debug entries in order, awkward error text as a parse reads it", () => {
    const response = signedMessage(
      {
        kind: 'response',
        rsp: { element: 'ReadSupplyStatusRsp', messageSuccess: false, content: [supplyState('Armed')] },
        debug: [
          { responseCode: 7, position: 1, error: AWKWARD },
          { responseCode: 3, position: 2, error: 'second' },
        ],
      },
      { responseCode: undefined },
    );
    const reading = readDuisResponse(response);
    expect(reading.responseCode).toBeUndefined();
    expect(reading.smets1?.rsp).toEqual({
      element: 'ReadSupplyStatusRsp',
      messageSuccess: false,
      supplyState: 'Armed',
      deviceLogIds: [],
    });
    expect(reading.smets1?.debugEntries).toEqual([
      { responseCode: '7', position: '1', error: AWKWARD },
      { responseCode: '3', position: '2', error: 'second' },
    ]);
    expect(reading).toEqual(readDuisResponse(response.xml));
  });

  it('a device alert and a DCC alert N24', () => {
    const alert = signedMessage(
      { kind: 'alert', alert: { code: 0x8f48, timestamp: new Date('2025-06-02T10:16:00Z') } },
      {
        requestId: undefined,
        serviceReference: undefined,
        serviceReferenceVariant: undefined,
        throttle: { sequenceId: 3, count: 9 },
      },
    );
    expect(readDuisResponse(alert).smets1).toEqual({ originator: CHF, debugEntries: [], alertCode: '8F48' });
    expect(readDuisResponse(alert)).toEqual(readDuisResponse(alert.xml));
    const n24 = builtDccAlertN24({
      responseId: `00-00-00-00-00-00-00-00:${USER}:5`,
      at: AT,
      updateHanDeviceLogRequestId: `${USER}:${CHF}:1`,
    });
    expect(readDuisResponse(n24)).toEqual({
      responseCode: 'I0',
      responseId: `00-00-00-00-00-00-00-00:${USER}:5`,
      dccAlertCode: 'N24',
    });
    expect(readDuisResponse(n24)).toEqual(readDuisResponse(n24.xml));
  });

  it('the tree is what is read (the text is not parsed again), built once however often it is asked for', () => {
    const response = signedMessage({
      kind: 'response',
      rsp: { element: 'ReadSupplyStatusRsp', messageSuccess: true, content: [supplyState('Enabled')] },
    });
    expect(response.document()).toBe(response.document());
    const treeOnly = { xml: 'not XML at all', document: response.document };
    expect(readDuisResponse(treeOnly).smets1?.rsp?.supplyState).toBe('Enabled');
    expect(readDuisResponse(treeOnly)).toEqual(readDuisResponse(response.xml));
    // without a tree the text is what is read
    expect(() => readDuisResponse({ xml: 'not XML at all' })).toThrow();
  });

  it('the text is written when first read, the same bytes before or after the tree was built and grafted', () => {
    // built anew for each: a built node goes in one response only
    const body = () =>
      ({
        kind: 'response',
        rsp: { element: 'ReadSupplyStatusRsp', messageSuccess: true, content: [supplyState('Enabled')] },
      }) as const;
    const textFirst = signedMessage(body());
    const treeFirst = signedMessage(body());
    const written = textFirst.xml;
    treeFirst.document();
    expect(treeFirst.xml).toBe(written);
    expect(written).toContain('<ra:SupplyState>Enabled</ra:SupplyState>');
    expect(written).toContain(
      '<sr:ResponseID>00-DB-12-34-56-78-90-A2:90-B3-D5-1F-30-01-00-00:1748859330000</sr:ResponseID>',
    );
    expect(written.match(/<ds:SignatureValue>/g)).toHaveLength(1);
  });

  it('built on demand: nothing until the text or the tree is read, then once for both', () => {
    let builds = 0;
    const response = builtOnDemand(() => {
      builds += 1;
      return builtAcknowledgement({
        requestId: `${USER}:${CHF}:7`,
        serviceReference: '8.9',
        serviceReferenceVariant: '8.9',
        at: AT,
      });
    });
    expect(builds).toBe(0);
    expect(readDuisResponse(response)).toEqual({ responseCode: 'I99' });
    expect(response.xml).toContain('<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:7</sr:RequestID>');
    expect(response.document()).toBe(response.document());
    expect(builds).toBe(1);
  });
});

describe('the lazily written text of built responses', () => {
  it('is read through one getter for every response of a kind, not one per response', () => {
    const kinds: [string, () => { readonly xml: string }][] = [
      [
        'acknowledgement',
        () =>
          builtAcknowledgement({
            requestId: `${USER}:${CHF}:7`,
            serviceReference: '8.9',
            serviceReferenceVariant: '8.9',
            at: AT,
          }),
      ],
      [
        'error',
        () =>
          builtErrorResponse({
            code: 'E3',
            fault: 'f',
            serviceReference: '8.9',
            serviceReferenceVariant: '8.9',
            at: AT,
          }),
      ],
      [
        'N24',
        () =>
          builtDccAlertN24({ responseId: `${USER}:${CHF}:7`, at: AT, updateHanDeviceLogRequestId: `${USER}:${CHF}:6` }),
      ],
      [
        'signed SMETS1 response',
        () =>
          signedMessage({
            kind: 'response',
            rsp: { element: 'ReadSupplyStatusRsp', messageSuccess: true, content: [supplyState('Enabled')] },
          }),
      ],
      [
        'signed SMETS1SignedResponse',
        () => signSmets1Response({ device: CHF, target: USER, counter: 1n }, { kind: 'response' }, s1sp),
      ],
      [
        'on demand',
        () =>
          builtOnDemand(() =>
            builtErrorResponse({
              code: 'E3',
              fault: 'f',
              serviceReference: '8.9',
              serviceReferenceVariant: '8.9',
              at: AT,
            }),
          ),
      ],
    ];
    for (const [kind, make] of kinds) {
      const getter = getterOf(make(), 'xml');
      expect(typeof getter, kind).toBe('function');
      expect(getterOf(make(), 'xml'), kind).toBe(getter);
    }
  });
});
