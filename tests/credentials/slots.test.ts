import { describe, expect, it } from 'vitest';
import { CredentialError } from '../../common/credentials/errors';
import {
  credentialSlotsFromPki,
  emptyCredentialSlots,
  installCertificate,
  occupiedRoles,
  readCredential,
  slotsFromCertificates,
} from '../../devices/credentials/slots';
import { generateTestPki, issueTestCertificate } from '../../common/credentials/testPki';

const pki = generateTestPki({ seed: 'slots', notBefore: Date.UTC(2020, 0, 1), notAfter: Date.UTC(2030, 0, 1) });

describe('credential slots', () => {
  it('start empty, one per role 0..6', () => {
    const slots = emptyCredentialSlots();
    expect(Object.keys(slots)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(occupiedRoles(slots)).toEqual([]);
    expect(readCredential(slots, 3)).toEqual({ role: 3, certificate: '' });
  });

  it('install a certificate in the slot named by its OU, returning new slots and leaving the input alone', () => {
    const before = Object.freeze(emptyCredentialSlots());
    const after = installCertificate(before, pki.parties[4].certificate);
    expect(before[4]).toBeNull();
    expect(after[4]).toEqual({ role: 4, entityId: '90-B3-D5-1F-30-00-00-02', certificate: pki.parties[4].certificate });
    expect(occupiedRoles(after)).toEqual([4]);
    expect(readCredential(after, 4)).toEqual({ role: 4, certificate: pki.parties[4].certificate });
  });

  it('install overwrites whatever the slot held (no authorisation: provisioning, not replacement)', () => {
    const other = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-0B-00-00' });
    const slots = installCertificate(credentialSlotsFromPki(pki), other.certificate);
    expect(slots[3]?.entityId).toBe('90-B3-D5-1F-30-0B-00-00');
  });

  it('are JSON: a round trip through JSON gives equal slots', () => {
    const slots = credentialSlotsFromPki(pki);
    expect(JSON.parse(JSON.stringify(slots))).toEqual(slots);
  });

  it('refuse two certificates for one role when built from a list', () => {
    const second = issueTestCertificate(pki, { role: 2, entityId: '90-B3-D5-1F-30-03-00-00' });
    expect(() => slotsFromCertificates([pki.parties[2].certificate, second.certificate])).toThrow(CredentialError);
    expect(() => slotsFromCertificates([pki.parties[2].certificate, second.certificate])).toThrow(
      /two certificates for the supplier slot/,
    );
  });

  it('refuse to read a role that does not exist', () => {
    expect(() => readCredential(emptyCredentialSlots(), 7 as 0)).toThrow(/role 7 is not a remote party role/);
  });
});
