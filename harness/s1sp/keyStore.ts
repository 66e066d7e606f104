/**
 * The private keys the S1SP signs device credential replacements with. A SMETS1 device trusts the certificates in
 * its slots; after migration the S1SP acts for the parties whose keys it holds (on the bench: every party of the
 * SMSO test PKI the devices were provisioned from, emulator/host/benchPki.ts, and any party a test adds). To sign,
 * the S1SP reads the certificate in the slot the replacement mode needs and looks its key up here by certificate:
 * a certificate it holds no key for (one installed from a DCC RTDS template) cannot sign further replacements.
 */
import type { SigningKey } from '../../common/credentials/deterministicEcdsa';
import type { TestParty } from '../../common/credentials/testPki';

export class S1spKeyStore {
  // the party itself, not its privateKey: a test party signs from its scalar, and reading the KeyObject would import it
  private readonly byCertificate = new Map<string, SigningKey>();

  constructor(parties: Iterable<Pick<TestParty, 'certificate' | 'privateKey'>> = []) {
    for (const party of parties) this.add(party);
  }

  add(party: Pick<TestParty, 'certificate' | 'privateKey'>): void {
    this.byCertificate.set(party.certificate.toLowerCase(), party);
  }

  keyFor(certificateHex: string): SigningKey | undefined {
    return this.byCertificate.get(certificateHex.toLowerCase());
  }
}
