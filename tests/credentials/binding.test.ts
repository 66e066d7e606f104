/**
 * Issue 8 item 16: a signed replacement is bound to the device it was made for and to an originator counter that
 * must grow per remote party. Expected bytes are written out by hand from the layout in docs/credentials.md.
 */
import { describe, expect, it } from 'vitest';
import { applyReplacement, type ReplacementRequest } from '../../devices/credentials/replacement';
import { clockSyncSignedData, replacementSignedData } from '../../common/credentials/signedData';
import { generateTestPki, issueTestCertificate, signReplacement } from '../../common/credentials/testPki';
import { credentialSlotsFromPki } from '../../devices/credentials/slots';

const pki = generateTestPki({ seed: 'binding', notBefore: Date.UTC(2015, 0, 1), notAfter: Date.UTC(2035, 0, 1) });
const slots = Object.freeze(credentialSlotsFromPki(pki));
const ESME = '00-DB-12-34-56-78-90-A0';
const GSME = '00-DB-12-34-56-78-90-A1';
const OTHER_SET_ESME = '00-DB-12-34-56-78-90-B0';
const options = (targetEui: string, counters = {}) => ({
  now: Date.UTC(2025, 5, 1),
  checkValidity: true,
  targetEui,
  counters,
});

const dnoA = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-02-00-0A' });
const dnoB = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-02-00-0B' });
/** The recovery party replaces slot 3: its own key stays trusted, so only the counter can stop a replay. */
const byRecovery = (certificate: string, counter: number, eui = ESME): ReplacementRequest => {
  const request = { role: 3, mode: 'anyExceptAbnormalRootByRecovery', certificate, counter } as const;
  return { ...request, signature: signReplacement(request, eui, pki.parties[1].privateKey) };
};

describe('signed data layouts', () => {
  it('replaceCredentials: 01 ‖ EUI ‖ counter (u32 BE) ‖ role ‖ mode index ‖ certificate', () => {
    expect(
      replacementSignedData(
        { role: 3, mode: 'NObyNO', certificate: 'abcd', counter: 42 },
        '00-DB-12-34-56-78-90-A2',
      ).toString('hex'),
    ).toBe('01' + '00db1234567890a2' + '0000002a' + '03' + '01' + 'abcd');
    expect(
      replacementSignedData({ role: 0, mode: 'anyByContingency', certificate: '', counter: 0xffffffff }, ESME).toString(
        'hex',
      ),
    ).toBe('01' + '00db1234567890a0' + 'ffffffff' + '00' + '07');
    expect(
      replacementSignedData({ role: 3, mode: 'NObyACB', certificate: '00', counter: 1 }, ESME).toString('hex'),
    ).toBe('01' + '00db1234567890a0' + '00000001' + '03' + '08' + '00');
  });

  it('writes every hex digit of the EUI and the certificate as its value, upper- or lower-case in the certificate', () => {
    expect(
      replacementSignedData(
        { role: 2, mode: 'supplierBySupplier', certificate: '0123456789abcdefABCDEF', counter: 0x01020304 },
        'FE-DC-BA-98-76-54-32-10',
      ).toString('hex'),
    ).toBe('01' + 'fedcba9876543210' + '01020304' + '02' + '00' + '0123456789abcdefabcdef');
  });

  it('refuses a certificate that is not whole hex bytes, wherever the fault is, and a lower-case EUI', () => {
    const signedData =
      (certificate: string, eui = ESME) =>
      () =>
        replacementSignedData({ role: 3, mode: 'NObyNO', certificate, counter: 1 }, eui);
    for (const certificate of ['zz', 'abcdez', 'abcdze', 'abcd e', 'abc', 'abcd0'])
      expect(signedData(certificate), certificate).toThrow(
        'certificate is not a hex byte string (even number of 0-9a-f characters)',
      );
    expect(signedData('abcd', '00-db-12-34-56-78-90-a0')).toThrow(
      'target EUI "00-db-12-34-56-78-90-a0" is not 8 upper-case hex bytes joined by dashes',
    );
  });

  it('clockSync: 02 ‖ EUI ‖ counter ‖ currentTime in whole Unix seconds (u32 BE)', () => {
    // 2026-01-01T00:00:00.999Z: 1767225600 s = 0x6955B900; the fraction is not on the wire, nor signed
    expect(clockSyncSignedData({ currentTime: 1_767_225_600_999, counter: 7 }, GSME).toString('hex')).toBe(
      '02' + '00db1234567890a1' + '00000007' + '6955b900',
    );
  });

  it('refuses counters and EUIs it cannot encode, naming them', () => {
    expect(() => replacementSignedData({ role: 3, mode: 'NObyNO', certificate: '', counter: 2 ** 32 }, ESME)).toThrow(
      'counter 4294967296 is not an integer from 0 to 4294967295',
    );
    expect(() => replacementSignedData({ role: 3, mode: 'NObyNO', certificate: '', counter: 1.5 }, ESME)).toThrow(
      /counter 1.5/,
    );
    expect(() => replacementSignedData({ role: 3, mode: 'NObyNO', certificate: '', counter: 1 }, 'hello')).toThrow(
      'target EUI "hello" is not 8 upper-case hex bytes joined by dashes',
    );
  });
});

describe('a signature is bound to its target device', () => {
  const forEsme = byRecovery(dnoA.certificate, 1, ESME);

  it('the ESME it was made for accepts it', () => {
    expect(applyReplacement(slots, forEsme, options(ESME))).toMatchObject({ ok: true, alert: 0x8f70 });
  });

  it.each([
    ['the GSME of the same set', GSME],
    ["another set's ESME", OTHER_SET_ESME],
  ])('%s refuses it: 0x8F3D, nothing changes', (_name, eui) => {
    const outcome = applyReplacement(slots, forEsme, options(eui));
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed', authenticated: false });
    expect(outcome.slots).toBe(slots);
    expect(outcome.counters).toEqual({});
  });
});

describe('originator counters refuse replays', () => {
  it('A→B, B→A, then the first A→B again: the replay is refused with 0x8F3E', () => {
    const toA = byRecovery(dnoA.certificate, 1);
    const toB = byRecovery(dnoB.certificate, 2);
    const first = applyReplacement(slots, toA, options(ESME));
    expect(first).toMatchObject({ ok: true, counters: { '1/90-B3-D5-1F-30-00-00-01': 1 } });
    const second = applyReplacement(first.slots, toB, options(ESME, first.counters));
    expect(second).toMatchObject({ ok: true, counters: { '1/90-B3-D5-1F-30-00-00-01': 2 } });
    expect(second.slots[3]?.entityId).toBe('90-B3-D5-1F-30-02-00-0B');

    const replay = applyReplacement(second.slots, toA, options(ESME, second.counters));
    expect(replay).toMatchObject({ ok: false, alert: 0x8f3e, status: 'authenticationFailed', authenticated: false });
    expect(replay.ok || replay.reason).toBe(
      'anyExceptAbnormalRootByRecovery: replay: counter 1 from recovery 90-B3-D5-1F-30-00-00-01 is not above the last accepted, 2',
    );
    expect(replay.slots[3]?.entityId).toBe('90-B3-D5-1F-30-02-00-0B');
    expect(replay.counters).toBe(second.counters);
  });

  it('the same counter twice is a replay; a higher one is accepted', () => {
    const counters = { '1/90-B3-D5-1F-30-00-00-01': 5 };
    expect(applyReplacement(slots, byRecovery(dnoA.certificate, 5), options(ESME, counters))).toMatchObject({
      ok: false,
      alert: 0x8f3e,
    });
    expect(applyReplacement(slots, byRecovery(dnoA.certificate, 6), options(ESME, counters))).toMatchObject({
      ok: true,
      counters: { '1/90-B3-D5-1F-30-00-00-01': 6 },
    });
  });

  it('counters are per party: another party may use a counter the recovery party used', () => {
    const counters = { '1/90-B3-D5-1F-30-00-00-01': 9 };
    const request = { role: 3, mode: 'NObyNO', certificate: dnoA.certificate, counter: 1 } as const;
    const outcome = applyReplacement(
      slots,
      { ...request, signature: signReplacement(request, ESME, pki.parties[3].privateKey) },
      options(ESME, counters),
    );
    expect(outcome).toMatchObject({
      ok: true,
      counters: { '1/90-B3-D5-1F-30-00-00-01': 9, '3/90-B3-D5-1F-30-02-00-00': 1 },
    });
  });

  it('an authentic request refused after authentication still uses up its counter (it cannot be replayed later)', () => {
    const supplier = issueTestCertificate(pki, { role: 2, entityId: '90-B3-D5-1F-30-01-00-0A' });
    const outcome = applyReplacement(slots, byRecovery(supplier.certificate, 3), options(ESME)); // OU 02 for slot 3
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f30, status: 'notAuthorised', authenticated: true });
    expect(outcome.counters).toEqual({ '1/90-B3-D5-1F-30-00-00-01': 3 });
    expect(outcome.slots).toBe(slots);
  });
});
