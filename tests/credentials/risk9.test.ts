import { describe, expect, it } from 'vitest';
import { Alert } from '../../devices/common/alertCodes';
import type { ReplacementFields } from '../../common/credentials/signedData';
import { applyReplacement } from '../../devices/credentials/replacement';
import { credentialSlotsFromPki, installCertificate } from '../../devices/credentials/slots';
import {
  generateTestPki,
  issueTestCertificate,
  signReplacement,
  type TestParty,
} from '../../common/credentials/testPki';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { itronProfile } from '../../devices/profiles';
import { startDevice } from '../devices/support/deviceHarness';

/**
 * Risk 9: a wrong DNO's certificate placed in the network operator slot. What each DSP mode sends the device
 * (docs/credentials.md):
 *   slot-certificate (production): the DSP passes only a DNO that matches the slot, so the right DNO's NObyNO is stopped
 *     there; even if it reached the device, the device authenticates NObyNO with the slot's (wrong) key and
 *     refuses it (0x8F3D). Only the DCC's recovery party (anyExceptAbnormalRootByRecovery) can correct the slot.
 *   registered-network-operator (the fix): the DSP checks the requesting DNO against Registration Data, and the DCC, as
 *     Access Control Broker, sends NObyACB signed with the ACB key the device trusts: accepted (0x8F70).
 */
describe('risk 9: a wrong network operator certificate in slot 3', () => {
  const ESME = '00-DB-12-34-56-78-90-A0';
  const pki = generateTestPki({ seed: 'risk9', notBefore: Date.UTC(2015, 0, 1), notAfter: Date.UTC(2035, 0, 1) });
  const rightDno = pki.parties[3]; // 90-B3-D5-1F-30-02-00-00
  const wrongDno = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-0B-00-00' });
  const misprovisioned = Object.freeze(installCertificate(credentialSlotsFromPki(pki), wrongDno.certificate));
  const options = { now: Date.UTC(2025, 5, 1), checkValidity: true, targetEui: ESME };
  const signed = (request: ReplacementFields, signer: TestParty) => ({
    ...request,
    signature: signReplacement(request, ESME, signer.privateKey),
  });
  const production = signed({ role: 3, mode: 'NObyNO', certificate: rightDno.certificate, counter: 1 }, rightDno);
  const fixed = signed({ role: 3, mode: 'NObyACB', certificate: rightDno.certificate, counter: 1 }, pki.parties[4]);

  it('holds the wrong DNO after provisioning', () => {
    expect(misprovisioned[3]?.entityId).toBe('90-B3-D5-1F-30-0B-00-00');
  });

  it('production path: refuses the right DNO’s NObyNO, signed with its own key: 0x8F3D, slot unchanged', () => {
    const outcome = applyReplacement(misprovisioned, production, options);
    expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed', authenticated: false });
    expect(outcome.ok || outcome.reason).toBe(
      "NObyNO: signature does not verify with the networkOperator slot's key (entity 90-B3-D5-1F-30-0B-00-00)",
    );
    expect(outcome.slots[3]?.entityId).toBe('90-B3-D5-1F-30-0B-00-00');
  });

  it('production path: only the wrong holder’s own signature, or the recovery party, could correct it', () => {
    const byWrongHolder = signed({ role: 3, mode: 'NObyNO', certificate: rightDno.certificate, counter: 1 }, wrongDno);
    expect(applyReplacement(misprovisioned, byWrongHolder, options)).toMatchObject({ ok: true, alert: 0x8f70 });
    const byRecovery = signed(
      { role: 3, mode: 'anyExceptAbnormalRootByRecovery', certificate: rightDno.certificate, counter: 1 },
      pki.parties[1],
    );
    const outcome = applyReplacement(misprovisioned, byRecovery, options);
    expect(outcome).toMatchObject({ ok: true, alert: 0x8f70 });
    expect(outcome.slots[3]?.entityId).toBe('90-B3-D5-1F-30-02-00-00');
  });

  it('fixed path: NObyACB, signed by the Access Control Broker, replaces the wrong DNO with the right one: 0x8F70', () => {
    const outcome = applyReplacement(misprovisioned, fixed, options);
    expect(outcome).toMatchObject({ ok: true, alert: 0x8f70 });
    expect(outcome.slots[3]).toEqual({
      role: 3,
      entityId: '90-B3-D5-1F-30-02-00-00',
      certificate: rightDno.certificate,
    });
  });

  it('fixed path: NObyACB signed by anyone but the ACB (the right DNO itself) is refused: 0x8F3D', () => {
    const notAcb = signed({ role: 3, mode: 'NObyACB', certificate: rightDno.certificate, counter: 1 }, rightDno);
    expect(applyReplacement(misprovisioned, notAcb, options)).toMatchObject({
      ok: false,
      alert: 0x8f3d,
      status: 'authenticationFailed',
    });
  });

  it('fixed path: NObyACB reaches the network operator slot only (0x8F30 for the supplier slot)', () => {
    const supplier = issueTestCertificate(pki, { role: 2, entityId: '90-B3-D5-1F-30-01-00-0A' });
    const toSupplier = signed(
      { role: 2, mode: 'NObyACB', certificate: supplier.certificate, counter: 1 },
      pki.parties[4],
    );
    expect(applyReplacement(misprovisioned, toSupplier, options)).toMatchObject({
      ok: false,
      alert: 0x8f30,
      status: 'notAuthorised',
    });
  });

  it('end to end at a migrated ESME: production refused (0x8F3D), the fixed path accepted (0x8F70), readCredentials shows the right DNO', () => {
    const esme = startDevice(esmeMachine, {
      eui: ESME,
      profile: itronProfile,
      credentials: misprovisioned,
      migrationState: 'dcc',
    });
    expect(esme.command('replaceCredentials', production).status).toBe('authenticationFailed');
    expect(esme.command('readCredentials', { role: 3 }).body).toEqual({ role: 3, certificate: wrongDno.certificate });
    expect(esme.command('replaceCredentials', fixed).status).toBe('ok');
    expect(esme.command('readCredentials', { role: 3 }).body).toEqual({ role: 3, certificate: rightDno.certificate });
    expect(esme.alertCodes()).toEqual([Alert.trustedSourceAuthenticationFailure, Alert.securityCredentialsUpdated]);
    // the fixed request cannot be replayed, even to put the same certificate back
    expect(esme.command('replaceCredentials', fixed).status).toBe('authenticationFailed');
    expect(esme.alertCodes().at(-1)).toBe(Alert.unauthorisedCommunicationAccess);
  });
});
