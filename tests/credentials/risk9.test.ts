import { describe, expect, it } from 'vitest';
import { applyReplacement } from '../../devices/credentials/replacement';
import { installCertificate } from '../../devices/credentials/slots';
import { credentialSlotsFromPki, generateTestPki, issueTestCertificate, signReplacement, type TestParty } from '../../devices/credentials/testPki';

/**
 * Risk 9: a wrong DNO's certificate placed in the network operator slot. NObyNO is authenticated with the key in
 * that slot, so only the wrong DNO can sign the fix; the right DNO's own request fails authentication. The device
 * is faithful to GBCS here: the remedy (checking the requesting DNO against Registration Data) is in the DSP.
 */
describe('risk 9: a wrong network operator certificate in slot 3', () => {
  const pki = generateTestPki({ seed: 'risk9', notBefore: Date.UTC(2015, 0, 1), notAfter: Date.UTC(2035, 0, 1) });
  const rightDno = pki.parties[3]; // 90-B3-D5-1F-30-02-00-00
  const wrongDno = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-0B-00-00' });
  const misprovisioned = Object.freeze(installCertificate(credentialSlotsFromPki(pki), wrongDno.certificate));
  const options = { now: Date.UTC(2025, 5, 1), checkValidity: true };
  const noByNo = (signer: TestParty) => {
    const request = { role: 3, mode: 'NObyNO', certificate: rightDno.certificate } as const;
    return { ...request, signature: signReplacement(request, signer.privateKey) };
  };

  it('holds the wrong DNO after provisioning', () => {
    expect(misprovisioned[3]?.entityId).toBe('90-B3-D5-1F-30-0B-00-00');
  });

  it('refuses the right DNO’s NObyNO, signed with its own key: 0x8F3D, slot unchanged', () => {
    const outcome = applyReplacement(misprovisioned, noByNo(rightDno), options);
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed' });
    expect(outcome.ok || outcome.reason).toMatch(/entity 90-B3-D5-1F-30-0B-00-00/);
    expect(outcome.slots[3]?.entityId).toBe('90-B3-D5-1F-30-0B-00-00');
  });

  it('accepts the same NObyNO only when the wrong holder signs it', () => {
    const outcome = applyReplacement(misprovisioned, noByNo(wrongDno), options);
    expect(outcome).toMatchObject({ ok: true, alert: 0x8f70 });
    expect(outcome.slots[3]).toEqual({ role: 3, entityId: '90-B3-D5-1F-30-02-00-00', certificate: rightDno.certificate });
  });

  it('can also be corrected by the recovery party (anyExceptAbnormalRootByRecovery)', () => {
    const request = { role: 3, mode: 'anyExceptAbnormalRootByRecovery', certificate: rightDno.certificate } as const;
    const outcome = applyReplacement(misprovisioned, { ...request, signature: signReplacement(request, pki.parties[1].privateKey) }, options);
    expect(outcome).toMatchObject({ ok: true, alert: 0x8f70 });
    expect(outcome.slots[3]?.entityId).toBe('90-B3-D5-1F-30-02-00-00');
  });
});
