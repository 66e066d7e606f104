/**
 * migrationParties(seed) is asked per installation (migrate()'s default, dccParties' default, bench:migration): the
 * seed's parties are issued once and handed out again, and they are still the seed's PKI's (the SMSO's slots, the
 * DCC's RTDS user ids signed by that PKI's CA), whatever other seeds were asked for in between, up to the bound.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../common/credentials/certificate';
import { benchPki } from '../../emulator/host/benchPki';
import { migrationParties } from '../../harness/migration/parties';

const der = (hex: string) => new X509Certificate(Buffer.from(hex, 'hex'));

describe('migrationParties', () => {
  it("hands out the seed's parties once issued, frozen", () => {
    const first = migrationParties(301);
    expect(migrationParties(301)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.dcc)).toBe(true);
    expect(migrationParties(302)).not.toBe(first);
  });

  it("are the seed's PKI's: the SMSO's slot holders, the DCC's parties issued by its CA", () => {
    // a few dozen other seeds in between: an evicted seed is issued again, the same certificates
    const before = migrationParties(303);
    for (let seed = 400; seed < 480; seed++) migrationParties(seed);
    const after = migrationParties(303);
    const pki = benchPki('smso-303');
    for (const parties of [before, after]) {
      expect(parties.smso[2].certificate).toBe(pki.parties[2].certificate);
      expect(parties.smso[3].certificate).toBe(pki.parties[3].certificate);
      for (const [role, entityId] of [
        [2, '90-B3-D5-1F-30-01-00-00'],
        [3, '90-B3-D5-1F-30-02-00-00'],
      ] as const) {
        expect(der(parties.dcc[role].certificate).verify(pki.issuer.publicKey)).toBe(true);
        expect(parseCertificate(parties.dcc[role].certificate)).toMatchObject({ role, entityId });
      }
    }
    expect(after.dcc[2].certificate).toBe(before.dcc[2].certificate);
    expect(after).not.toBe(before);
  });
});
