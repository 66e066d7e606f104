/**
 * Defect 91342 through DUIS, exact. The PPMID is powered on at P = 0 (join attempt at once, then every 60 s: the
 * devices' assumed retry period), the supplier's 8.11 Add for it goes out at P + 90 s, the run watches ten minutes
 * more (to P + 690 s). Expected values are written from the defect report and the device timing, not asked of the code.
 */
import { describe, expect, it } from 'vitest';
import { repro91342, runRepro91342 } from '../../harness/bench/repro91342';

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

  it.each([256, 300])('%i s: the CH refuses it (invalidParameter, 0x8F48 at P + 90 s) and the PPMID never joins', async (period) => {
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
    expect(response).toContain('<ra:SMETS1Response ResponseCode="1" Position="1"><ra:Error>hanLogAdd answered invalidParameter</ra:Error></ra:SMETS1Response>');
    expect(n24).toContain('<sr:DCCAlertCode>N24</sr:DCCAlertCode>');
    expect(n24).toContain(`<sr:UpdateHANDeviceLogServiceRequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:${Date.UTC(2026, 0, 1) + 90 * S}</sr:UpdateHANDeviceLogServiceRequestID>`);
  });
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
