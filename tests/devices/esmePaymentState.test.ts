/**
 * The payment state's one step (devices/esme/paymentState.ts), state by state, against the transitions of the
 * region it replaced (tests/devices/support/legacyEsmeMachine.ts `payment`), written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { nextPaymentState } from '../../devices/esme/paymentState';

const prepayment = { paymentMode: 'prepayment', creditBalance: 50, creditExhaustion: null } as const;
const credit = { ...prepayment, paymentMode: 'credit' } as const;

describe('the payment state, one step', () => {
  it('credit: into prepayment in credit when the mode is prepayment, else stays', () => {
    expect(nextPaymentState('credit', prepayment)).toBe('inCredit');
    expect(nextPaymentState('credit', { ...prepayment, creditBalance: 0 })).toBe('inCredit');
    expect(nextPaymentState('credit', credit)).toBeUndefined();
  });

  it('inCredit: out of credit at zero (before draining), draining with a deadline, back to credit mode last', () => {
    expect(nextPaymentState('inCredit', { ...prepayment, creditBalance: 0 })).toBe('exhausted');
    expect(nextPaymentState('inCredit', { ...prepayment, creditBalance: 0, creditExhaustion: 9 })).toBe('exhausted');
    expect(nextPaymentState('inCredit', { ...prepayment, creditExhaustion: 9 })).toBe('draining');
    expect(nextPaymentState('inCredit', prepayment)).toBeUndefined();
    // The state's own way out comes before the mode's, as the region's child transitions came before its parent's.
    expect(nextPaymentState('inCredit', { ...credit, creditBalance: 0 })).toBe('exhausted');
    expect(nextPaymentState('inCredit', credit)).toBe('credit');
  });

  it('draining: in credit again when the deadline is gone, else stays (the timer ends it)', () => {
    expect(nextPaymentState('draining', prepayment)).toBe('inCredit');
    expect(nextPaymentState('draining', { ...prepayment, creditExhaustion: 9 })).toBeUndefined();
    expect(nextPaymentState('draining', { ...prepayment, creditBalance: 0, creditExhaustion: 9 })).toBeUndefined();
    expect(nextPaymentState('draining', { ...credit, creditExhaustion: 9 })).toBe('credit');
    expect(nextPaymentState('draining', credit)).toBe('inCredit');
  });

  it('exhausted: in credit again above zero, else stays until credit mode', () => {
    expect(nextPaymentState('exhausted', { ...prepayment, creditBalance: 0.001 })).toBe('inCredit');
    expect(nextPaymentState('exhausted', { ...prepayment, creditBalance: 0 })).toBeUndefined();
    expect(nextPaymentState('exhausted', { ...credit, creditBalance: 0 })).toBe('credit');
    expect(nextPaymentState('exhausted', credit)).toBe('inCredit');
  });
});
