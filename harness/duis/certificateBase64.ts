import { boundedMemo } from '../../common/boundedMemo';

/**
 * A DER certificate held as hex (how parties, slots and devices hold it) as DUIS writes it, base64 (a KeyInfo's
 * X509Certificate, a request's DigitalSigningCertificate). A run signs with one S1SP party and installs the same few
 * parties' certificates in every installation (one PKI a run), so each conversion of about 1 KB is made once rather than
 * per signature or request (0.9 µs each, 10 ns remembered); bounded, for a caller that passes ever new certificates.
 */
export const certificateBase64 = boundedMemo(16, (hex: string) => Buffer.from(hex, 'hex').toString('base64'));
