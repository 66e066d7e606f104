import { describe, expect, it } from 'vitest';
import { CREDENTIAL_ALERTS } from '../../devices/credentials/alerts';
import type { ReplacementFields } from '../../common/credentials/signedData';
import { applyReplacement, type ReplacementRequest } from '../../devices/credentials/replacement';
import { credentialSlotsFromPki, emptyCredentialSlots, installCertificate } from '../../devices/credentials/slots';
import {
  generateTestPki,
  issueTestCertificate,
  signReplacement,
  type TestParty,
} from '../../common/credentials/testPki';

const pki = generateTestPki({ seed: 'replacement', notBefore: Date.UTC(2015, 0, 1), notAfter: Date.UTC(2035, 0, 1) });
const smsoSlots = Object.freeze(credentialSlotsFromPki(pki));
const newNetworkOperator = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-02-00-01' });
const now = Date.UTC(2025, 5, 1);
const ESME = '00-DB-12-34-56-78-90-A0';
const lenient = { now, checkValidity: false, targetEui: ESME };

const signed = (request: ReplacementFields, signer: Pick<TestParty, 'privateKey'>, eui = ESME): ReplacementRequest => ({
  ...request,
  signature: signReplacement(request, eui, signer.privateKey),
});
const noByNo = (certificate: string, counter = 1) => ({ role: 3, mode: 'NObyNO', certificate, counter }) as const;

describe('applyReplacement', () => {
  it('accepts NObyNO signed by the key in the network operator slot: alert 0x8F70 and slot 3 changes', () => {
    const outcome = applyReplacement(
      smsoSlots,
      signed(noByNo(newNetworkOperator.certificate), pki.parties[3]),
      lenient,
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.alert).toBe(0x8f70);
    expect(outcome.slots[3]).toEqual({
      role: 3,
      entityId: '90-B3-D5-1F-30-02-00-01',
      certificate: newNetworkOperator.certificate,
    });
    expect({ ...outcome.slots, 3: null }).toEqual({ ...smsoSlots, 3: null }); // nothing else moved
    expect(smsoSlots[3]?.certificate).toBe(pki.parties[3].certificate); // input untouched
  });

  it('refuses NObyNO signed by the supplier key: 0x8F3D and slot 3 unchanged', () => {
    const outcome = applyReplacement(
      smsoSlots,
      signed(noByNo(newNetworkOperator.certificate), pki.parties[2]),
      lenient,
    );
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed' });
    expect(outcome.slots).toBe(smsoSlots);
    expect(outcome.slots[3]?.certificate).toBe(pki.parties[3].certificate);
  });

  it('refuses supplierBySupplier targeting the network operator slot: 0x8F30', () => {
    const request = signed(
      { role: 3, mode: 'supplierBySupplier', certificate: newNetworkOperator.certificate, counter: 1 },
      pki.parties[2],
    );
    const outcome = applyReplacement(smsoSlots, request, lenient);
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f30, status: 'notAuthorised' });
    expect(outcome.ok || outcome.reason).toBe('supplierBySupplier may not replace the networkOperator slot (role 3)');
    expect(outcome.slots).toBe(smsoSlots);
  });

  it('refuses a supplier (OU 02) certificate sent for the network operator slot: 0x8F30', () => {
    const supplier = issueTestCertificate(pki, { role: 2, entityId: '90-B3-D5-1F-30-01-00-01' });
    const outcome = applyReplacement(smsoSlots, signed(noByNo(supplier.certificate), pki.parties[3]), lenient);
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f30, status: 'notAuthorised' });
    expect(outcome.ok || outcome.reason).toMatch(/for role 2 \(OU\), not the target role 3/);
    expect(outcome.slots).toBe(smsoSlots);
  });

  it.each([0, 1, 255, 511])('refuses a forged signature (bit %i flipped): 0x8F3D', (bit) => {
    const request = signed(noByNo(newNetworkOperator.certificate), pki.parties[3]);
    const bytes = Buffer.from(request.signature, 'hex');
    bytes[bit >> 3] ^= 0x80 >> (bit & 7);
    const outcome = applyReplacement(smsoSlots, { ...request, signature: bytes.toString('hex') }, lenient);
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed' });
    expect(outcome.slots).toBe(smsoSlots);
  });

  it('refuses a signature made for a different certificate: 0x8F3D', () => {
    const request = signed(noByNo(newNetworkOperator.certificate), pki.parties[3]);
    const other = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-02-00-02' });
    const outcome = applyReplacement(smsoSlots, { ...request, certificate: other.certificate }, lenient);
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed' });
  });

  it('refuses when the signing slot is empty: no trusted party could have sent it, 0x8F3E', () => {
    const slots = installCertificate(emptyCredentialSlots(), pki.parties[2].certificate);
    const outcome = applyReplacement(slots, signed(noByNo(newNetworkOperator.certificate), pki.parties[3]), lenient);
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f3e, status: 'authenticationFailed', authenticated: false });
    expect(outcome.ok || outcome.reason).toBe('NObyNO: signed for the networkOperator slot, which is empty');
  });

  it('authenticates with the key in the slot now: after a replacement the old key no longer works', () => {
    const first = applyReplacement(smsoSlots, signed(noByNo(newNetworkOperator.certificate), pki.parties[3]), lenient);
    const third = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-02-00-03' });
    const byOldKey = applyReplacement(first.slots, signed(noByNo(third.certificate, 2), pki.parties[3]), lenient);
    const byNewKey = applyReplacement(first.slots, signed(noByNo(third.certificate, 2), newNetworkOperator), lenient);
    expect(byOldKey).toMatchObject({ ok: false, alert: 0x8f3d });
    expect(byNewKey).toMatchObject({ ok: true, alert: 0x8f70 });
    expect(byNewKey.slots[3]?.entityId).toBe('90-B3-D5-1F-30-02-00-03');
  });

  describe('with checkValidity, a certificate valid from 2020-01-01 to 2025-10-29T23:59:59Z, signed by the current NO key', () => {
    const shortLived = issueTestCertificate(pki, {
      role: 3,
      entityId: '90-B3-D5-1F-30-02-00-05',
      notBefore: Date.UTC(2020, 0, 1),
      notAfter: Date.UTC(2025, 9, 29, 23, 59, 59),
    });
    const request = signed(noByNo(shortLived.certificate), pki.parties[3]);

    it('is accepted on 2025-06-01', () => {
      const outcome = applyReplacement(smsoSlots, request, {
        ...lenient,
        now: Date.UTC(2025, 5, 1),
        checkValidity: true,
      });
      expect(outcome).toMatchObject({ ok: true, alert: 0x8f70 });
      expect(outcome.slots[3]).toEqual({
        role: 3,
        entityId: '90-B3-D5-1F-30-02-00-05',
        certificate: shortLived.certificate,
      });
    });

    it('is refused on 2026-11-22: 0x8F3D', () => {
      const outcome = applyReplacement(smsoSlots, request, {
        ...lenient,
        now: Date.UTC(2026, 10, 22),
        checkValidity: true,
      });
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed' });
      expect(outcome.ok || outcome.reason).toMatch(
        /valid 2020-01-01T00:00:00.000Z to 2025-10-29T23:59:59.000Z, not at 2026-11-22/,
      );
      expect(outcome.slots).toBe(smsoSlots);
    });

    it('is refused before its notBefore (2019-12-31): 0x8F3D', () => {
      const outcome = applyReplacement(smsoSlots, request, {
        ...lenient,
        now: Date.UTC(2019, 11, 31),
        checkValidity: true,
      });
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d });
    });

    it('is accepted on 2026-11-22 when the device does not check validity', () => {
      expect(applyReplacement(smsoSlots, request, { ...lenient, now: Date.UTC(2026, 10, 22) })).toMatchObject({
        ok: true,
      });
    });
  });

  describe('the new certificate must chain to the root slot (issue 8 item 17)', () => {
    it('refuses a well-formed certificate of the right role and entity from another CA: 0x8F3D, slot unchanged', () => {
      const otherCa = generateTestPki({
        seed: 'not-the-bench',
        notBefore: Date.UTC(2015, 0, 1),
        notAfter: Date.UTC(2035, 0, 1),
      });
      const outcome = applyReplacement(smsoSlots, signed(noByNo(otherCa.parties[3].certificate), pki.parties[3]), {
        ...lenient,
        checkValidity: true,
      });
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed', authenticated: true });
      expect(outcome.ok || outcome.reason).toBe(
        "new certificate is not signed by the root slot's key (entity 90-B3-D5-1F-30-00-00-00)",
      );
      expect(outcome.slots).toBe(smsoSlots);
    });

    it('refuses every certificate when the root slot is empty', () => {
      const noRoot = { ...smsoSlots, 0: null };
      const outcome = applyReplacement(noRoot, signed(noByNo(newNetworkOperator.certificate), pki.parties[3]), lenient);
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d });
      expect(outcome.ok || outcome.reason).toBe('the root slot is empty, so no certificate can be validated');
    });
  });

  describe("the signer's own certificate must be valid at device time (issue 8 item 17)", () => {
    const expiringDno = issueTestCertificate(pki, {
      role: 3,
      entityId: '90-B3-D5-1F-30-02-00-07',
      notBefore: Date.UTC(2015, 0, 1),
      notAfter: Date.UTC(2024, 11, 31, 23, 59, 59),
    });
    const slots = installCertificate(smsoSlots, expiringDno.certificate);
    const request = signed(noByNo(newNetworkOperator.certificate), expiringDno);

    it('refuses a replacement signed by a party whose certificate expired before device time: 0x8F3D, unauthenticated', () => {
      const outcome = applyReplacement(slots, request, { ...lenient, checkValidity: true });
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed', authenticated: false });
      expect(outcome.ok || outcome.reason).toBe(
        "NObyNO: the networkOperator's own certificate is valid 2015-01-01T00:00:00.000Z to 2024-12-31T23:59:59.000Z, not at 2025-06-01T00:00:00.000Z",
      );
      expect(outcome.slots).toBe(slots);
      expect(outcome.counters).toEqual({});
    });

    it('accepts the same request on 2024-12-31, while the signer is valid', () => {
      const outcome = applyReplacement(slots, request, {
        ...lenient,
        now: Date.UTC(2024, 11, 31),
        checkValidity: true,
      });
      expect(outcome).toMatchObject({ ok: true, alert: 0x8f70 });
    });
  });

  describe('refuses malformed requests as invalidParameter with 0x8F3D, changing nothing', () => {
    it('a certificate that is not DER, correctly signed', () => {
      const outcome = applyReplacement(smsoSlots, signed(noByNo('3003020101'), pki.parties[3]), lenient);
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'invalidParameter' });
      expect(outcome.ok || outcome.reason).toMatch(/^new certificate: not an X.509 certificate/);
      expect(outcome.slots).toBe(smsoSlots);
    });
    it('a certificate that is not hex', () => {
      const outcome = applyReplacement(smsoSlots, { ...noByNo('xyz'), signature: '00'.repeat(64) }, lenient);
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'invalidParameter' });
    });
    it('an unknown mode', () => {
      const request = {
        role: 3,
        mode: 'rootBySupplier',
        certificate: newNetworkOperator.certificate,
        counter: 1,
        signature: '00'.repeat(64),
      };
      const outcome = applyReplacement(smsoSlots, request as unknown as ReplacementRequest, lenient);
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'invalidParameter' });
      expect(outcome.ok || outcome.reason).toBe('unknown replacement mode "rootBySupplier"');
    });
    it('a role outside 0..6', () => {
      const request = { ...noByNo(newNetworkOperator.certificate), role: 7, signature: '00'.repeat(64) };
      const outcome = applyReplacement(smsoSlots, request as unknown as ReplacementRequest, lenient);
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'invalidParameter' });
    });
    it('a signature that is not 64 bytes', () => {
      const request = signed(noByNo(newNetworkOperator.certificate), pki.parties[3]);
      const outcome = applyReplacement(smsoSlots, { ...request, signature: request.signature.slice(0, 126) }, lenient);
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'invalidParameter' });
    });
  });

  it('exports the alert codes exactly', () => {
    expect(CREDENTIAL_ALERTS).toEqual({
      updateSecurityCredentials: 0x8f70,
      sourceDoesNotHaveAuthority: 0x8f30,
      trustedSourceAuthenticationFailure: 0x8f3d,
      unauthorisedCommunicationAccess: 0x8f3e,
    });
  });
});
