/**
 * Raised for input that is not a usable credential (bad hex, bad DER, a certificate that is not a GBCS organisation
 * certificate). The message says what was wrong, so a test engineer can fix the certificate rather than guess.
 */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}
