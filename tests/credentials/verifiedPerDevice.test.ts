/**
 * Every signed command is verified by each device that receives it (docs/credentials.md "The checks"): no verdict
 * is remembered for a command, though a fleet run's installations can send two devices byte-identical ones. Counted
 * at node:crypto's verify, which the devices' check calls.
 */
import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { applyReplacement } from '../../devices/credentials/replacement';
import { generateTestPki, issueTestCertificate, signReplacement } from '../../common/credentials/testPki';
import { credentialSlotsFromPki } from '../../devices/credentials/slots';

// hoisted above the imports: the devices' check calls this verify
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, verify: vi.fn(actual.verify) };
});

const pki = generateTestPki({ seed: 'per-device', notBefore: Date.UTC(2015, 0, 1), notAfter: Date.UTC(2035, 0, 1) });
const slots = Object.freeze(credentialSlotsFromPki(pki));
const EUI = '00-DB-12-34-56-78-90-A0';
const dno = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-02-00-0D' });
/** Signed by the recovery party, whose slot the replacement leaves as it is: a resend still authenticates. */
const unsigned = {
  role: 3,
  mode: 'anyExceptAbnormalRootByRecovery',
  certificate: dno.certificate,
  counter: 7,
} as const;
const request = { ...unsigned, signature: signReplacement(unsigned, EUI, pki.parties[1]) };
const options = (counters = {}) => ({ now: Date.UTC(2025, 5, 1), checkValidity: true, targetEui: EUI, counters });
const verifications = vi.mocked(crypto.verify);

describe('signed commands are verified by every device that receives them', () => {
  beforeEach(() => {
    verifications.mockClear();
  });

  it('two devices with the same EUI (two installations) sent the same command each verify its signature', () => {
    const first = applyReplacement(slots, request, options());
    const second = applyReplacement(slots, { ...request }, options());
    expect(first.ok && second.ok).toBe(true);
    expect(verifications).toHaveBeenCalledTimes(2);
    const signature = Buffer.from(request.signature, 'hex');
    for (const call of verifications.mock.calls) expect(Buffer.from(call[3] as Uint8Array)).toEqual(signature);
  });

  it('a device sent the command again verifies it again, and then refuses it as a replay', () => {
    const first = applyReplacement(slots, request, options());
    if (!first.ok) throw new Error(first.reason);
    const again = applyReplacement(first.slots, request, options(first.counters));
    expect(again.ok).toBe(false);
    expect(again.ok ? undefined : again.alert).toBe(0x8f3e);
    expect(verifications).toHaveBeenCalledTimes(2);
  });
});
