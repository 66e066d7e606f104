/**
 * SR 1.6 (Update Payment Mode) and 2.2 (Top Up Device) carried to the ESME (issue 15 item 9): the DCC RTDS templates
 * through gateway, DSP and S1SP, the meter's state read back over the bench protocol. Expected values are written
 * from the templates and the bench's UTRN reading (docs/duis.md: the last five digits are pence), not from the code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuisBench } from '../../harness/bench/duisBench';
import { findTemplate } from '../../harness/bench/rtdsTemplates';
import { readDuisResponse } from '../../harness/duis/responseReader';

const ESME = '00-DB-12-34-56-78-90-A0';
let bench: DuisBench;
let counter = 0;

beforeEach(async () => {
  bench = await DuisBench.start({ vendor: 'itron', s1sp: { fixes: new Set(['response-code-always']) } });
});
afterEach(async () => {
  await bench.close();
});

/** Sends a template (fresh RequestID counter, UTRN replaced if given): the last response's code, MessageSuccess, device error. */
async function send(name: string, utrn?: string) {
  let xml = findTemplate(name)!.xml.replace(/(<sr:RequestID>[^<]*:)\d+</, `$1${++counter}<`);
  if (utrn !== undefined) xml = xml.replace(/<sr:UTRN>\d+<\/sr:UTRN>/, `<sr:UTRN>${utrn}</sr:UTRN>`);
  const { responses } = await bench.send(xml);
  const last = readDuisResponse(responses.at(-1)!.xml);
  return { code: last.responseCode, success: last.smets1?.rsp?.messageSuccess, error: last.smets1?.debug?.error };
}

async function paymentMode() {
  const response = await bench.command(ESME, { type: 'readPaymentMode' });
  return response.body as { mode: string; creditBalance: number };
}

describe('1.6 and 2.2 reach the ESME', () => {
  it('1.6 Prepayment (ECS03 immediate) switches the meter to prepayment, 1.6 Credit (ECS02 immediate) back', async () => {
    expect((await paymentMode()).mode).toBe('credit');
    expect(await send('ECS03_1.6_IMMEDIATE_SINGLE_SUCCESS')).toEqual({ code: 'I0', success: true, error: undefined });
    expect((await paymentMode()).mode).toBe('prepayment');
    expect(await send('ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS')).toEqual({ code: 'I0', success: true, error: undefined });
    expect((await paymentMode()).mode).toBe('credit');
  });

  it('2.2 adds the UTRN value: the RTDS UTRN …17315 is 173.15 £, a second one 1.50 £ more', async () => {
    expect(await send('CS01a_2.2_SUCCESS')).toEqual({ code: 'I0', success: true, error: undefined });
    expect((await paymentMode()).creditBalance).toBe(17315);
    expect((await send('CS01a_2.2_SUCCESS', '12345678901234500150')).success).toBe(true);
    expect((await paymentMode()).creditBalance).toBe(17465);
  });

  it('a 2.2 of 0 p or over the meter limit reaches the meter and is refused there; the credit is unchanged', async () => {
    expect(await send('CS01a_2.2_SUCCESS', '12345678901234500000')).toEqual({
      code: 'I0',
      success: false,
      error: 'topUp answered invalidParameter',
    });
    // CS01b's UTRN …78605 (786.05 £, over the meter's 500 £ a top-up), sent to the ESME
    expect(await send('CS01a_2.2_SUCCESS', '73950067887105178605')).toEqual({
      code: 'I0',
      success: false,
      error: 'topUp answered invalidParameter',
    });
    expect((await paymentMode()).creditBalance).toBe(0);
  });

  it('a future-dated or cancelled 1.6 is not carried (E11): nothing here keeps a schedule; the mode is unchanged', async () => {
    expect((await send('ECS03_1.6_FUTURE_DATED_TWIN_SUCCESS')).code).toBe('E11');
    expect((await send('ECS02_1.6_CANCELLATION_TWIN_SUCCESS')).code).toBe('E11');
    expect((await paymentMode()).mode).toBe('credit');
  });

  it('1.6 and 2.2 to the GSME are E11: the emulated gas meter has no prepayment', async () => {
    expect((await send('GCS03_1.6_IMMEDIATE_SUCCESS')).code).toBe('E11');
    expect((await send('CS01b_2.2_SUCCESS')).code).toBe('E11');
  });
});
