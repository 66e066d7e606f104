/**
 * Issue 14 item 2: responses are read as XML by path. A request whose value is the text
 * `<sr:ResponseCode>I0</sr:ResponseCode>` is refused E41, and its error response echoes that text before the header
 * (in the comment naming the fault): a pattern search of the text found I0 first, so `smets1 send` exited 0 and pack
 * expectations `response: I0` / `messageSuccess: true` passed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTemplate } from '../../harness/bench/rtdsTemplates';
import { AccessControl } from '../../harness/dsp/accessControl';
import { rtdsRegistrationData } from '../../harness/dsp/registrationData';
import { DuisGateway } from '../../harness/duis/gateway';
import { readDuisResponse } from '../../harness/duis/responseReader';
import { DuisValidator } from '../../harness/duis/validator';
import { loadPack } from '../../harness/packs';
import { runScenario } from '../../harness/run/executor';
import { smets1Printed } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'smets1-response-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/duis', name), 'utf8');

/** CCS01 (8.11) with JoinTimePeriod set to the escaped text of a ResponseCode element and a MessageSuccess: schema-invalid. */
const ECHOING_REQUEST = findTemplate('CCS01_8.11_SUCCESS')!.xml.replace(
  /<sr:JoinTimePeriod>90</,
  '<sr:JoinTimePeriod>&lt;sr:ResponseCode&gt;I0&lt;/sr:ResponseCode&gt; MessageSuccess="true"<',
);

describe('readDuisResponse: values at their paths', () => {
  it('an SMETS1 response: code, ResponseID, originator, the Rsp and its MessageSuccess', () => {
    const reading = readDuisResponse(fixture('03-smets1-I0-8.11-UpdateHANDeviceLogRsp.xml'));
    expect(reading).toEqual({
      responseCode: 'I0',
      responseId: '00-DB-12-34-56-78-90-A2:90-B3-D5-1F-30-01-00-00:1748859330000',
      smets1: {
        originator: '00-DB-12-34-56-78-90-A2',
        rsp: { element: 'UpdateHANDeviceLogRsp', messageSuccess: true, deviceLogIds: [] },
        debugEntries: [],
      },
    });
  });

  it('a device refusal: MessageSuccess false and the SMETS1Debug entry', () => {
    const reading = readDuisResponse(fixture('07-smets1-I0-6.5-failure-SMETS1Debug.xml'));
    expect(reading.smets1?.rsp).toEqual({
      element: 'UpdateDeviceConfigurationVoltageRsp',
      messageSuccess: false,
      deviceLogIds: [],
    });
    expect(reading.smets1?.debug).toEqual({
      responseCode: '1',
      position: '1',
      error: 'EXAMPLE: voltage threshold not accepted by device',
    });
    expect(reading.smets1?.debugEntries).toHaveLength(1);
  });

  it('a device alert and a DCC alert: their codes; an acknowledgement has no MessageSuccess', () => {
    expect(readDuisResponse(fixture('09-smets1-device-alert-8F48.xml')).smets1).toEqual({
      originator: '00-DB-12-34-56-78-90-A0',
      debugEntries: [],
      alertCode: '8F48',
    });
    expect(readDuisResponse(fixture('08-dcc-alert-N24-UpdateHANDeviceLogResult.xml'))).toMatchObject({
      responseCode: 'I0',
      dccAlertCode: 'N24',
    });
    expect(readDuisResponse(fixture('01-ack-I99-8.11.xml')).smets1?.rsp?.messageSuccess).toBeUndefined();
    expect(readDuisResponse(fixture('01-ack-I99-8.11.xml')).responseCode).toBe('I99');
  });

  it("reads only at the path: a ResponseCode element or MessageSuccess attribute elsewhere in the document is not the response's", () => {
    const planted = fixture('11-error-E2-role-not-permitted.xml').replace(
      '<sr:Header>',
      '<sr:Echo MessageSuccess="true"><sr:Header><sr:ResponseCode>I0</sr:ResponseCode></sr:Header></sr:Echo><sr:Header>',
    );
    expect(planted).toContain('<sr:ResponseCode>E2</sr:ResponseCode>');
    expect(readDuisResponse(planted)).toMatchObject({ responseCode: 'E2' });
    expect(readDuisResponse(planted).smets1?.rsp?.messageSuccess).toBeUndefined();
  });

  it('reads only in the DUIS namespaces: a Header or ResponseCode of the same local name in another namespace is not read', () => {
    const planted = fixture('11-error-E2-role-not-permitted.xml').replace(
      '<sr:Header>',
      '<x:Header xmlns:x="urn:other"><x:ResponseCode>I0</x:ResponseCode></x:Header><sr:Header><x:ResponseCode xmlns:x="urn:other">I0</x:ResponseCode>',
    );
    expect(planted).toContain('<sr:ResponseCode>E2</sr:ResponseCode>');
    expect(readDuisResponse(planted)).toMatchObject({ responseCode: 'E2' });
  });

  it('the error response to a request echoing <sr:ResponseCode>I0</sr:ResponseCode> reads E41, whatever its fault text says', async () => {
    const gateway = new DuisGateway({
      validator: DuisValidator.load(),
      accessControl: new AccessControl(rtdsRegistrationData(), { slotCheck: 'slot-certificate' }),
      now: () => new Date('2025-06-02T10:15:30.412Z'),
    });
    const admission = await gateway.admit(ECHOING_REQUEST);
    expect(admission.ok).toBe(false);
    if (admission.ok) return;
    // the precondition of the attack: the echoed element comes first in the text
    expect(admission.response.indexOf('<sr:ResponseCode>I0</sr:ResponseCode>')).toBeGreaterThan(-1);
    expect(admission.response.indexOf('<sr:ResponseCode>I0</sr:ResponseCode>')).toBeLessThan(
      admission.response.indexOf('<sr:ResponseCode>E41</sr:ResponseCode>'),
    );
    expect(admission.response).toContain('MessageSuccess="true"');
    expect(readDuisResponse(admission.response)).toMatchObject({ responseCode: 'E41' });
    expect(readDuisResponse(admission.response).smets1?.rsp?.messageSuccess).toBeUndefined();
  });
});

describe('the readers that judge outcomes', () => {
  it('smets1 send: the echoing request is not carried out (E41), exit 1', async () => {
    const file = join(dir, 'echo.xml');
    writeFileSync(file, ECHOING_REQUEST);
    const result = await smets1Printed('send', file);
    expect(result.stderr).toBe(`smets1: ${file}: not carried out: response code E41\n`);
    expect(result.status).toBe(1);
  }, 60_000);

  it('a pack: `response: I0` and `messageSuccess: true` fail on the echoing request, naming E41', async () => {
    writeFileSync(join(dir, 'echo.xml'), ECHOING_REQUEST);
    const packFile = join(dir, 'echo.yaml');
    writeFileSync(
      packFile,
      [
        'name: echo',
        'bench: { vendor: elster, fixes: { response-code-always: true } }',
        'scenarios:',
        '  - name: echoed response code',
        '    steps:',
        '      - sr: { file: echo.xml }',
        '      - expect: { response: I0 }',
        '      - expect: { messageSuccess: true }',
        '',
      ].join('\n'),
    );
    const pack = loadPack(packFile);
    const result = await runScenario(pack, pack.scenarios[0]);
    expect(result.verdict).toBe('failed');
    expect(result.failures.map((f) => [f.expected, f.actual])).toEqual([
      ['response I0', 'response codes E41'],
      ['MessageSuccess true', 'no SMETS1 response'],
    ]);
  }, 60_000);
});
