/**
 * The texts a failed expectation gives (issue 17 item 3), on hand-built alerts and responses: what came instead in
 * the alert window, each alert with its DUIS description, the nearest miss; a refused request's device refusal.
 */
import { describe, expect, it } from 'vitest';
import { readDuisResponse } from '../../harness/duis/responseReader';
import {
  alertName,
  messageSuccessText,
  missingAlertText,
  refusalsOf,
  unwantedAlertsText,
} from '../../harness/run/failureTexts';

const ESME = '00-DB-12-34-56-78-90-A0';
const CHF = '00-DB-12-34-56-78-90-A2';
const STEP_END = 1_767_225_600_000;

describe('alert names', () => {
  it('carry the DUIS description of GBCS and DCC alert codes', () => {
    expect(alertName({ gbcs: 0x8f48 })).toBe('0x8F48 "Device joining failed"');
    expect(alertName({ gbcs: 0x8014 })).toBe('0x8014 "Power Factor Threshold Below"');
    expect(alertName({ dcc: 'N24' })).toBe('N24 "Update HAN Device Log Result"');
    // a code with no known description is still named
    expect(alertName({ gbcs: 0x1234 })).toBe('0x1234');
  });
});

describe('an alert that did not come', () => {
  it('says which alerts came in the window and the nearest miss after it (the ESME case of the issue)', () => {
    const text = missingAlertText({
      stepEndMs: STEP_END,
      deadline: STEP_END + 1_800_000,
      inWindow: [
        { at: STEP_END + 30_000, gbcs: 0x8024, originator: ESME },
        { at: STEP_END + 60_000, gbcs: 0x8014, originator: ESME },
      ],
      outside: [
        { at: STEP_END + 1_800_000 + 780_000, gbcs: 0x8002, originator: ESME },
        { at: STEP_END + 1_800_000 + 3_600_000, gbcs: 0x8002, originator: ESME },
      ],
    });
    expect(text).toBe(
      'no such alert; in the window came 0x8024 "RMS Voltage above Voltage Swell Threshold (voltage rises above for longer than the configurable period)" from 00-DB-12-34-56-78-90-A0 at +30 s; ' +
        '0x8014 "Power Factor Threshold Below" from 00-DB-12-34-56-78-90-A0 at +60 s; ' +
        'nearest miss: 0x8002 "Average RMS Voltage above Average RMS Over Voltage Threshold (current value above threshold; previous value below threshold)" from 00-DB-12-34-56-78-90-A0 780 s after the window closed',
    );
  });

  it('tells a miss before the window, an empty window, and repeated alerts once with their count', () => {
    expect(
      missingAlertText({
        stepEndMs: STEP_END,
        deadline: STEP_END + 1000,
        inWindow: [],
        outside: [{ at: STEP_END - 2000, gbcs: 0x8f49, originator: CHF }],
      }),
    ).toBe(
      'no such alert; no alert at all arrived in the window; nearest miss: 0x8F49 "Device joining succeeded" from 00-DB-12-34-56-78-90-A2 2 s before the step ended, before the window opened',
    );
    const repeats = [0, 60_000, 120_000].map((ms) => ({ at: STEP_END + ms, gbcs: 0x8f48, originator: CHF }));
    expect(
      missingAlertText({ stepEndMs: STEP_END, deadline: STEP_END + 300_000, inWindow: repeats, outside: [] }),
    ).toBe(
      'no such alert; in the window came 0x8F48 "Device joining failed" from 00-DB-12-34-56-78-90-A2 3 times, +0 s to +120 s',
    );
  });

  it('stays bounded whatever arrives: at most ten kinds of alert are listed', () => {
    const flood = Array.from({ length: 5000 }, (_, i) => ({
      at: STEP_END + i,
      gbcs: 0x8000 + (i % 40),
      originator: ESME,
    }));
    const text = missingAlertText({ stepEndMs: STEP_END, deadline: STEP_END + 10_000, inWindow: flood, outside: [] });
    expect(text.endsWith('; and 30 other kinds of alert')).toBe(true);
    expect(text.length).toBeLessThan(2000);
  });
});

describe('alerts that should not have come', () => {
  it('are listed with their descriptions', () => {
    expect(unwantedAlertsText([{ at: STEP_END + 5000, gbcs: 0x8f48, originator: CHF }], STEP_END)).toBe(
      '1 such alert: 0x8F48 "Device joining failed" from 00-DB-12-34-56-78-90-A2 at +5 s',
    );
  });
});

/** A SMETS1 response of the fixture-07 shape (DUIS 5.4): MessageSuccess false and the S1SP's SMETS1Debug. */
const refused = `<?xml version="1.0" encoding="UTF-8"?>
<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:ra="http://www.dccinterface.co.uk/ResponseAndAlert" schemaVersion="5.4">
  <sr:Header><sr:ResponseCode>I0</sr:ResponseCode></sr:Header>
  <sr:Body><sr:SMETS1ResponseMessage><sr:ServiceReference>8.11</sr:ServiceReference>
    <sr:SMETS1SignedResponse schemaVersion="5.4"><sr:SMETS1Response><sr:Header/><sr:Body><sr:ResponseMessage>
      <ra:SMETSData><ra:UpdateHANDeviceLogRsp MessageSuccess="false"/></ra:SMETSData>
      <ra:DebugInfo><ra:SMETS1Debug>
        <ra:SMETS1Response ResponseCode="1" Position="1"><ra:Error>hanLogAdd answered invalidParameter</ra:Error></ra:SMETS1Response>
      </ra:SMETS1Debug></ra:DebugInfo>
    </sr:ResponseMessage></sr:Body></sr:SMETS1Response></sr:SMETS1SignedResponse>
  </sr:SMETS1ResponseMessage></sr:Body>
</sr:Response>`;

describe('a refused request', () => {
  it("carries the device's refusal as the S1SP reported it", () => {
    expect(refusalsOf(readDuisResponse(refused))).toEqual([
      'hanLogAdd answered invalidParameter (step 1, response code 1)',
    ]);
    expect(messageSuccessText(['false'], refusalsOf(readDuisResponse(refused)))).toBe(
      'MessageSuccess false (the device refused: hanLogAdd answered invalidParameter (step 1, response code 1))',
    );
  });

  it('says nothing more when there is no refusal, and reads no refusal from elsewhere in the document', () => {
    expect(messageSuccessText(['true'], [])).toBe('MessageSuccess true');
    expect(messageSuccessText([], [])).toBe('no SMETS1 response');
    expect(
      refusalsOf(
        readDuisResponse(
          '<ra:Error xmlns:ra="http://www.dccinterface.co.uk/ResponseAndAlert">not in a response</ra:Error>',
        ),
      ),
    ).toEqual([]);
  });
});
