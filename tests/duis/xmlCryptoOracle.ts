/**
 * A general XMLDSig implementation (xml-crypto, with its own xmldom parse and XPath) as the oracle for the project's
 * purpose-built signer, verifier and exclusive c14n (harness/duis/xmlSignature.ts, exclusiveC14n.ts): what the
 * project signs must be what a general library signs, byte for byte, and must verify there. xml-crypto ships no
 * ECDSA, so an ECDSA-SHA256 algorithm is registered on each instance here: node:crypto's verify (r‖s), and for
 * signing the deterministic ECDSA (RFC 6979), which makes the two signers' outputs comparable byte for byte.
 */
import { createPublicKey, verify, type KeyLike, type KeyObject } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml, type SignatureAlgorithm } from 'xml-crypto';
import { signDeterministic } from '../../common/credentials/deterministicEcdsa';

const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

class EcdsaSha256 {
  getSignature(signedInfo: string | Buffer, privateKey: KeyLike): string {
    return signDeterministic(Buffer.from(signedInfo), privateKey as KeyObject).toString('base64');
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
    return verify(
      'sha256',
      Buffer.from(material),
      { key: createPublicKey(key as string), dsaEncoding: 'ieee-p1363' },
      Buffer.from(signatureValue, 'base64'),
    );
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

function withEcdsa(signed: SignedXml): SignedXml {
  signed.SignatureAlgorithms = {
    ...signed.SignatureAlgorithms,
    [ECDSA_SHA256]: EcdsaSha256 as unknown as new () => SignatureAlgorithm,
  };
  return signed;
}

/** xml-crypto's signature of the whole document in the DUIS form (as harness/duis/xmlSignature.ts did before issue 16). */
export function xmlCryptoSign(
  xml: string,
  signer: { readonly privateKey: KeyObject; readonly certificate: string },
): string {
  const certificate = Buffer.from(signer.certificate, 'hex').toString('base64');
  const signed = withEcdsa(
    new SignedXml({
      privateKey: signer.privateKey,
      signatureAlgorithm: ECDSA_SHA256,
      canonicalizationAlgorithm: EXC_C14N,
      getKeyInfoContent: () => `<ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data>`,
    }),
  );
  signed.addReference({
    xpath: '/*',
    uri: '',
    isEmptyUri: true,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signed.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
  return signed.getSignedXml();
}

/** Whether xml-crypto verifies the document's one signature with this key. */
export function xmlCryptoVerifies(xml: string, publicKey: KeyObject): boolean {
  const verifier = withEcdsa(
    new SignedXml({ publicCert: publicKey.export({ type: 'spki', format: 'pem' }) as string }),
  );
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const signature = document.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').item(0);
  if (signature === null) return false;
  verifier.loadSignature(signature);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

/** xml-crypto's exclusive c14n (no comments, no prefix list) of an element of an xmldom tree. */
export function xmlCryptoC14n(element: Element): string {
  return new ExclusiveCanonicalization().process(element, {}).toString();
}
