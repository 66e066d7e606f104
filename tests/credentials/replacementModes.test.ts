import { describe, expect, it } from 'vitest';
import { applyReplacement } from '../../devices/credentials/replacement';
import { REPLACEMENT_MODES } from '../../common/credentials/replacementModes';
import { ALL_ROLES, type RemotePartyRole } from '../../common/credentials/roles';
import { generateTestPki, issueTestCertificate, signReplacement } from '../../common/credentials/testPki';
import { credentialSlotsFromPki } from '../../devices/credentials/slots';

const pki = generateTestPki({ seed: 'modes', notBefore: Date.UTC(2015, 0, 1), notAfter: Date.UTC(2035, 0, 1) });
const slots = Object.freeze(credentialSlotsFromPki(pki));
const EUI = '00-DB-12-34-56-78-90-A0';
const options = { now: Date.UTC(2025, 5, 1), checkValidity: true, targetEui: EUI };
const replacementFor = (role: RemotePartyRole) =>
  issueTestCertificate(pki, { role, entityId: `90-B3-D5-1F-30-0A-00-0${role}` });

describe('the replacement mode table', () => {
  it('lists the eight GBCS modes in CredentialsReplacementMode order (codes 2..9), then NObyACB (not GBCS)', () => {
    expect(REPLACEMENT_MODES.map((mode) => [mode.name, mode.gbcsCode])).toEqual([
      ['supplierBySupplier', 2],
      ['NObyNO', 3],
      ['ACBbyACB', 4],
      ['WANPbyWANP', 5],
      ['TransCoSbyTransCoS', 6],
      ['supplierByTransCoS', 7],
      ['anyExceptAbnormalRootByRecovery', 8],
      ['anyByContingency', 9],
      ['NObyACB', null],
    ]);
  });

  it('says which slot each mode replaces and which slot signs', () => {
    const summary = Object.fromEntries(REPLACEMENT_MODES.map((mode) => [mode.name, [mode.targetRoles, mode.signedBy]]));
    expect(summary).toEqual({
      supplierBySupplier: [[2], 2],
      NObyNO: [[3], 3],
      ACBbyACB: [[4], 4],
      WANPbyWANP: [[6], 6],
      TransCoSbyTransCoS: [[5], 5],
      supplierByTransCoS: [[2], 5],
      anyExceptAbnormalRootByRecovery: [[1, 2, 3, 4, 5, 6], 1],
      anyByContingency: [[0, 1, 2, 3, 4, 5, 6], 0],
      NObyACB: [[3], 4],
    });
  });

  it('labels every assumption with a note', () => {
    for (const mode of REPLACEMENT_MODES) {
      if (mode.assumed.length > 0) expect(mode.note).toMatch(/^assumed: /);
    }
  });
});

describe.each(REPLACEMENT_MODES.map((mode) => [mode.name, mode] as const))('%s', (_name, mode) => {
  it.each(mode.targetRoles.map((role) => [role]))(
    'accepts a replacement of slot %i signed by the mode’s slot key',
    (role) => {
      const replacement = replacementFor(role);
      const request = { role, mode: mode.name, certificate: replacement.certificate, counter: 1 };
      const outcome = applyReplacement(
        slots,
        { ...request, signature: signReplacement(request, EUI, pki.parties[mode.signedBy].privateKey) },
        options,
      );
      expect(outcome).toMatchObject({ ok: true, alert: 0x8f70 });
      expect(outcome.slots[role]?.certificate).toBe(replacement.certificate);
    },
  );

  it.each(ALL_ROLES.filter((role) => role !== mode.signedBy).map((role) => [role]))(
    'refuses the same request signed by the slot %i key: 0x8F3D',
    (wrongSigner) => {
      const role = mode.targetRoles[0];
      const request = { role, mode: mode.name, certificate: replacementFor(role).certificate, counter: 1 };
      const outcome = applyReplacement(
        slots,
        { ...request, signature: signReplacement(request, EUI, pki.parties[wrongSigner].privateKey) },
        options,
      );
      expect(outcome).toMatchObject({ ok: false, alert: 0x8f3d, status: 'authenticationFailed' });
      expect(outcome.slots).toBe(slots);
    },
  );

  const outside = ALL_ROLES.filter((role) => !mode.targetRoles.includes(role));
  if (outside.length > 0) {
    it.each(outside.map((role) => [role]))(
      'refuses slot %i, outside its authority, even correctly signed: 0x8F30',
      (role) => {
        const request = { role, mode: mode.name, certificate: replacementFor(role).certificate, counter: 1 };
        const outcome = applyReplacement(
          slots,
          { ...request, signature: signReplacement(request, EUI, pki.parties[mode.signedBy].privateKey) },
          options,
        );
        expect(outcome).toMatchObject({ ok: false, alert: 0x8f30, status: 'notAuthorised' });
        expect(outcome.slots).toBe(slots);
      },
    );
  }
});
