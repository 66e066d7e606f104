/**
 * XML signatures as the DCC uses them (RTDS templates, DCC Boxed): enveloped, `URI=""`, exclusive c14n, SHA-256
 * digest, ECDSA P-256 / SHA-256. xml-crypto (6.x) does the XMLDSig work but ships no ECDSA algorithm (RSA and HMAC
 * only), so one is registered here on each SignedXml instance: node:crypto with the signature value as r‖s (the
 * XMLDSig 1.1 ECDSA encoding, `dsaEncoding: 'ieee-p1363'`), signing with the project's deterministic ECDSA
 * (RFC 6979, devices/credentials) so the same document and key always give the same bytes.
 */
import { createPublicKey, verify, type KeyLike, type KeyObject } from 'node:crypto';
import { SignedXml, type SignatureAlgorithm } from 'xml-crypto';
import { signDeterministic } from '../../devices/credentials/deterministicEcdsa';
import { NS } from './namespaces';
import { el, leaf, parseToNode, toXml, type XmlNode } from './xmlTree';

const ALGORITHM = {
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

class EcdsaSha256 {
  getSignature(signedInfo: string | Buffer, privateKey: KeyLike): string {
    return signDeterministic(Buffer.from(signedInfo), privateKey as KeyObject).toString('base64');
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
    const signature = Buffer.from(signatureValue, 'base64');
    if (signature.length !== 64) return false;
    return verify('sha256', Buffer.from(material), { key: createPublicKey(key as string), dsaEncoding: 'ieee-p1363' }, signature);
  }
  getAlgorithmName(): string {
    return ALGORITHM.ecdsaSha256;
  }
}

function withEcdsa(signed: SignedXml): SignedXml {
  signed.SignatureAlgorithms = { ...signed.SignatureAlgorithms, [ALGORITHM.ecdsaSha256]: EcdsaSha256 as unknown as new () => SignatureAlgorithm };
  return signed;
}

export interface SigningParty {
  readonly privateKey: KeyObject;
  /** DER certificate, lower-case hex (devices/credentials TestParty). */
  readonly certificate: string;
}

/**
 * Signs a whole document (enveloped, `URI=""`): the signature goes last inside the document element, and KeyInfo
 * carries the signer's certificate (X509Certificate rather than X509IssuerSerial: libxml2 rejects the 38-digit
 * serials of real DCC certificates as xs:integer, and the certificate lets a verifier name the signer).
 */
export function signDocument(xml: string, signer: SigningParty): string {
  const certificateBase64 = Buffer.from(signer.certificate, 'hex').toString('base64');
  const signed = withEcdsa(
    new SignedXml({
      privateKey: signer.privateKey,
      signatureAlgorithm: ALGORITHM.ecdsaSha256,
      canonicalizationAlgorithm: ALGORITHM.excC14n,
      getKeyInfoContent: () => toXml(el('ds:X509Data', null, leaf('ds:X509Certificate', certificateBase64)), false),
    }),
  );
  signed.addReference({ xpath: '/*', uri: '', isEmptyUri: true, transforms: [ALGORITHM.enveloped, ALGORITHM.excC14n], digestAlgorithm: ALGORITHM.sha256 });
  signed.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
  return signed.getSignedXml();
}

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'unsigned' | 'invalid'; readonly detail: string };

/**
 * Checks a document signed as above against a public key the verifier already trusts (never the KeyInfo's: a
 * forger controls that). Exactly one ds:Signature, a direct child of the document element, with one reference to the
 * whole document (`URI=""`), enveloped + exclusive c14n, SHA-256, ECDSA-SHA256: anything else is refused, so no
 * part of the document can sit outside what was signed.
 */
export function checkDocumentSignature(xml: string, publicKey: KeyObject | undefined): SignatureCheck {
  let signatureXml: string | undefined;
  try {
    signatureXml = extractSignature(xml);
  } catch (error) {
    return { ok: false, reason: 'invalid', detail: error instanceof Error ? error.message : String(error) };
  }
  if (signatureXml === undefined) return { ok: false, reason: 'unsigned', detail: 'the request carries no ds:Signature' };
  const expectations = shapeProblem(signatureXml);
  if (expectations !== undefined) return { ok: false, reason: 'invalid', detail: expectations };
  if (publicKey === undefined) return { ok: false, reason: 'invalid', detail: 'no trusted key to verify the signature with' };
  const verifier = withEcdsa(new SignedXml({ publicCert: publicKey.export({ type: 'spki', format: 'pem' }) as string }));
  try {
    verifier.loadSignature(signatureXml);
    if (verifier.checkSignature(xml)) return { ok: true };
    return { ok: false, reason: 'invalid', detail: 'the signature does not verify with the sender certificate' };
  } catch (error) {
    return { ok: false, reason: 'invalid', detail: `the signature does not verify: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The root's one ds:Signature child, re-serialised standalone with the namespace declarations in scope. */
function extractSignature(xml: string): string | undefined {
  const root = parseToNode(xml);
  const rootName = Object.keys(root).find((k) => k !== ':@')!;
  const rootAttributes = (root[':@'] as Record<string, string> | undefined) ?? {};
  const dsPrefixes = Object.entries(rootAttributes)
    .filter(([k, v]) => k.startsWith('@_xmlns') && v === NS.ds)
    .map(([k]) => (k === '@_xmlns' ? '' : k.slice('@_xmlns:'.length)));
  const children = root[rootName] as XmlNode[];
  const isSignature = (node: XmlNode): boolean =>
    Object.keys(node).some((k) => k === 'Signature' || (k.endsWith(':Signature') && signatureNamespace(node, k, dsPrefixes)));
  const signatures = children.filter(isSignature);
  if (countSignatures(root) !== signatures.length) throw new Error('a ds:Signature is nested inside the document, not a child of its root');
  if (signatures.length === 0) return undefined;
  if (signatures.length > 1) throw new Error(`the request carries ${signatures.length} ds:Signature elements; exactly one is allowed`);
  const signature = signatures[0];
  const declarations = Object.fromEntries(Object.entries(rootAttributes).filter(([k]) => k.startsWith('@_xmlns')));
  signature[':@'] = { ...declarations, ...((signature[':@'] as Record<string, string> | undefined) ?? {}) };
  return toXml(signature, false);
}

function signatureNamespace(node: XmlNode, key: string, dsPrefixes: string[]): boolean {
  const prefix = key.slice(0, key.indexOf(':'));
  const own = (node[':@'] as Record<string, string> | undefined)?.[`@_xmlns:${prefix}`];
  return own === NS.ds || (own === undefined && dsPrefixes.includes(prefix));
}

function countSignatures(node: XmlNode): number {
  let count = 0;
  for (const [key, value] of Object.entries(node)) {
    if (key === ':@' || !Array.isArray(value)) continue;
    if (key === 'Signature' || key.endsWith(':Signature')) count++;
    for (const child of value as XmlNode[]) count += countSignatures(child);
  }
  return count;
}

/** The only signature form accepted: what the DCC's templates carry. */
function shapeProblem(signatureXml: string): string | undefined {
  const algorithms = [...signatureXml.matchAll(/Algorithm="([^"]*)"/g)].map((m) => m[1]);
  const uris = [...signatureXml.matchAll(/<(?:\w+:)?Reference\b[^>]*\bURI="([^"]*)"/g)].map((m) => m[1]);
  const references = (signatureXml.match(/<(?:\w+:)?Reference\b/g) ?? []).length;
  if (references !== 1 || uris.length !== 1 || uris[0] !== '') return 'the signature must have exactly one Reference, URI=""';
  const expected = [ALGORITHM.excC14n, ALGORITHM.ecdsaSha256, ALGORITHM.enveloped, ALGORITHM.excC14n, ALGORITHM.sha256];
  const expectedWithoutC14nTransform = [ALGORITHM.excC14n, ALGORITHM.ecdsaSha256, ALGORITHM.enveloped, ALGORITHM.sha256];
  const same = (a: readonly string[]) => a.length === algorithms.length && a.every((v, i) => v === algorithms[i]);
  if (!same(expected) && !same(expectedWithoutC14nTransform)) {
    return `unexpected signature algorithms ${algorithms.join(', ')}: exclusive c14n, ECDSA-SHA256, enveloped, SHA-256 required`;
  }
  return undefined;
}

/** The document without its root-level ds:Signature (a template's placeholder), ready to be signed for real. */
export function withoutSignature(xml: string): string {
  const root = parseToNode(xml);
  const rootName = Object.keys(root).find((k) => k !== ':@')!;
  root[rootName] = (root[rootName] as XmlNode[]).filter((child) => !Object.keys(child).some((k) => k === 'Signature' || k.endsWith(':Signature')));
  return toXml(root);
}
