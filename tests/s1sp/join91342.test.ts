/**
 * Defect 91342 through DUIS, exact. The PPMID is powered on at P = 0 (join attempt at once, then every 60 s: the
 * devices' assumed retry period), the supplier's 8.11 Add for it goes out at P + 90 s, the run watches ten minutes
 * more (to P + 690 s). Expected values are written from the defect report and the device timing, not asked of the code.
 */
import { describe, expect, it } from 'vitest';
import { repro91342, runRepro91342 } from '../../harness/bench/repro91342';
import type { CommandInput } from '../../protocols/benchClient';
import type { RequestName } from '../../protocols/messageTypes.generated';
import type { ResponseMessage } from '../../protocols/messages';
import type { AdmittedRequest } from '../../harness/duis/gateway';
import type { HanDeviceLogChange } from '../../harness/duis/requestBodies';
import type { FixSwitch } from '../../harness/s1sp/harnessQuirks';
import { S1spKeyStore } from '../../harness/s1sp/keyStore';
import { runServiceRequest } from '../../harness/s1sp/serviceRequests';
import { vendorAdapter, type Vendor } from '../../harness/s1sp/vendors';

const S = 1000;
const FAILED = 0x8f48;
const JOINED = 0x8f49;
const LOG_CHANGED = 0x8f12;
const JOINED_SMHAN = 0x8183;
/** PPMID attempts at P, P + 60 s, …, P + 660 s: all refused (the PPMID is never whitelisted). */
const ALL_FAILED = Array.from({ length: 12 }, (_, i) => ({ at: i * 60 * S, code: FAILED }));
/** Whitelisted at P + 90 s: attempts at P and P + 60 s fail, the one at P + 120 s joins. */
const JOINS_AT_120 = [
  { at: 0, code: FAILED },
  { at: 60 * S, code: FAILED },
  { at: 120 * S, code: JOINED },
];

describe('91342 through DUIS: Elster CH, clamp-join-period off', () => {
  it('255 s: accepted (MessageSuccess true, N24, 0x8F12) and the PPMID joins 30 s after the 8.11', async () => {
    const run = await runRepro91342({ vendor: 'elster', joinTimePeriod: 255, clamp: false });
    expect(run.receivedByCh).toBe(255);
    expect(run.messageSuccess).toBe(true);
    expect(run.debug).toBeUndefined();
    expect(run.attempts).toEqual(JOINS_AT_120);
    expect(run.joinedAfterRequest).toBe(30 * S);
    expect(run.alertCodes).toEqual([LOG_CHANGED, JOINED, JOINED_SMHAN]);
  });

  it.each([256, 300])(
    '%i s: the CH refuses it (invalidParameter, 0x8F48 at P + 90 s) and the PPMID never joins',
    async (period) => {
      const run = await runRepro91342({ vendor: 'elster', joinTimePeriod: period, clamp: false });
      expect(run.receivedByCh).toBe(period);
      expect(run.messageSuccess).toBe(false);
      expect(run.debug).toEqual({ responseCode: 1, error: 'hanLogAdd answered invalidParameter' });
      expect(run.refusalAlertAt).toBe(90 * S);
      expect(run.attempts).toEqual(ALL_FAILED);
      expect(run.joinedAfterRequest).toBeUndefined();
      // the refusal's 0x8F48, then one per attempt from P + 120 s to P + 660 s
      expect(run.alertCodes).toEqual(Array.from({ length: 11 }, () => FAILED));
      const [ack, response, n24] = run.responses.map((r) => r.xml);
      expect(ack).toContain('<sr:ResponseCode>I99</sr:ResponseCode>');
      expect(response).toContain('<ra:UpdateHANDeviceLogRsp MessageSuccess="false"/>');
      expect(response).toContain(
        '<ra:SMETS1Response ResponseCode="1" Position="1"><ra:Error>hanLogAdd answered invalidParameter</ra:Error></ra:SMETS1Response>',
      );
      expect(n24).toContain('<sr:DCCAlertCode>N24</sr:DCCAlertCode>');
      expect(n24).toContain(
        `<sr:UpdateHANDeviceLogServiceRequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:${Date.UTC(2026, 0, 1) + 90 * S}</sr:UpdateHANDeviceLogServiceRequestID>`,
      );
    },
  );
});

describe('91342 through DUIS: the fix and the other vendor', () => {
  it('Elster, clamp-join-period on: 300 s reaches the CH as 255 s and the PPMID joins 30 s later (inside 255 s)', async () => {
    const run = await runRepro91342({ vendor: 'elster', joinTimePeriod: 300, clamp: true });
    expect(run.receivedByCh).toBe(255);
    expect(run.messageSuccess).toBe(true);
    expect(run.attempts).toEqual(JOINS_AT_120);
    expect(run.joinedAfterRequest).toBe(30 * S);
  });

  it('Itron: 3600 s is sent unchanged (even with the clamp on) and the PPMID joins 30 s after the 8.11', async () => {
    for (const clamp of [false, true]) {
      const run = await runRepro91342({ vendor: 'itron', joinTimePeriod: 3600, clamp });
      expect(run.receivedByCh).toBe(3600);
      expect(run.messageSuccess).toBe(true);
      expect(run.attempts).toEqual(JOINS_AT_120);
      expect(run.joinedAfterRequest).toBe(30 * S);
    }
  });

  it('the repro verdict: reproduced on Elster; on Itron the 256 s and 300 s refusals do not happen', async () => {
    expect((await repro91342('elster')).checks.map((c) => c.held)).toEqual([true, true, true, true]);
    const itron = await repro91342('itron');
    expect(itron.reproduced).toBe(false);
    expect(itron.checks.map((c) => c.held)).toEqual([true, false, false, false]);
  }, 30_000);
});

describe('the vendor adapter: the JoinTimePeriod each CH is sent (91342)', () => {
  const periodsSent = (vendor: Vendor, fixes: readonly FixSwitch[]) => {
    const adapter = vendorAdapter(vendor, { fixes: new Set(fixes) });
    return [1, 254, 255, 256, 300, 3600].map((requested) => adapter.joinPeriodFor(requested));
  };

  it('Elster with clamp-join-period: over 255 s becomes 255 s, the rest goes unchanged', () => {
    expect(periodsSent('elster', ['clamp-join-period'])).toEqual([1, 254, 255, 255, 255, 255]);
  });

  it('Elster without it, and Itron with or without it: every period unchanged', () => {
    for (const [vendor, fixes] of [
      ['elster', []],
      ['elster', ['cos-alert-always']],
      ['itron', []],
      ['itron', ['clamp-join-period']],
    ] as const) {
      expect(periodsSent(vendor, fixes), `${vendor} ${fixes.join()}`).toEqual([1, 254, 255, 256, 300, 3600]);
    }
  });

  it('names the vendor it has no adapter for', () => {
    expect(() => vendorAdapter('landis' as Vendor, { fixes: new Set() })).toThrow(
      new RangeError('no S1SP adapter for vendor "landis" (itron or elster)'),
    );
  });
});

describe('8.11 (UpdateHANDeviceLog): the one bench command the S1SP sends the CH', () => {
  const CHF = '00-DB-12-34-56-78-90-A2';
  const PPMID = '00-DB-12-34-56-78-90-A3';

  /** Runs the 8.11 against a CH that records each command and answers it with `status`. */
  async function run(
    change: HanDeviceLogChange,
    options: { vendor?: Vendor; clamp?: boolean; status?: ResponseMessage['status'] } = {},
  ) {
    const sent: CommandInput[] = [];
    const admitted = {
      ok: true,
      userRole: 'IS',
      acknowledgement: '',
      request: {
        serviceReferenceVariant: '8.11',
        requestId: { originator: '90-B3-D5-1F-30-01-00-00', target: CHF, counter: 1n },
        body: { kind: 'UpdateHANDeviceLog', deviceId: PPMID, change },
      },
    } as unknown as AdmittedRequest;
    const outcome = await runServiceRequest({
      admitted,
      vendor: vendorAdapter(options.vendor ?? 'elster', { fixes: new Set(options.clamp ? ['clamp-join-period'] : []) }),
      call: async <N extends RequestName>(command: CommandInput<N>) => {
        sent.push(command);
        // a status-only answer to whichever command came (8.11 reads only the status of hanLogAdd/hanLogRemove)
        const answer: ResponseMessage = {
          type: 'response',
          message: command.type,
          requestId: sent.length,
          status: options.status ?? 'ok',
        };
        return answer as ResponseMessage<N>;
      },
      keys: new S1spKeyStore(),
      slotCheck: 'slot-certificate',
      deviceTypeOf: () => undefined,
      signingCounter: () => 1,
    });
    return { sent, outcome };
  }

  const ADD: HanDeviceLogChange = { type: 'Add', joinTimePeriod: 300, installCode: '0A1B2C3D4E5F60718293A4B5C6D7E8F9' };
  const ACCEPTED = {
    kind: 'device',
    success: true,
    rsp: { element: 'UpdateHANDeviceLogRsp', messageSuccess: true },
    debug: [],
  };

  it("an Add: hanLogAdd with the device, the install code in lower case (docs/contract.md) and the vendor's period", async () => {
    const clamped = await run(ADD, { clamp: true });
    expect(clamped.sent).toEqual([
      { type: 'hanLogAdd', deviceId: PPMID, installCode: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', joinPeriod: 255 },
    ]);
    expect(clamped.outcome).toEqual(ACCEPTED);
    expect((await run(ADD, { vendor: 'itron', clamp: true })).sent).toEqual([
      { type: 'hanLogAdd', deviceId: PPMID, installCode: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', joinPeriod: 300 },
    ]);
  });

  it('a Remove: hanLogRemove with the device, nothing else', async () => {
    const removed = await run({ type: 'Remove' });
    expect(removed.sent).toEqual([{ type: 'hanLogRemove', deviceId: PPMID }]);
    expect(removed.outcome).toEqual(ACCEPTED);
  });

  it('refused by the CH: MessageSuccess false and the debug entry at position 1', async () => {
    expect((await run(ADD, { status: 'invalidParameter' })).outcome).toEqual({
      kind: 'device',
      success: false,
      rsp: { element: 'UpdateHANDeviceLogRsp', messageSuccess: false },
      debug: [{ responseCode: 1, position: 1, error: 'hanLogAdd answered invalidParameter' }],
    });
  });
});
