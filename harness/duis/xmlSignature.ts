/**
 * XML signatures as the DCC uses them (RTDS templates, DCC Boxed): enveloped, `URI=""`, exclusive c14n, SHA-256
 * digest, ECDSA P-256 / SHA-256. xml-crypto (6.x) does the XMLDSig work but ships no ECDSA algorithm (RSA and HMAC
 * only), so one is registered here on each SignedXml instance: node:crypto with the signature value as r‖s (the
 * XMLDSig 1.1 ECDSA encoding, `dsaEncoding: 'ieee-p1363'`), signing with the project's deterministic ECDSA
 * (RFC 6979, devices/credentials) so the same document and key always give the same bytes.
 */
import { createPublicKey, verify, type KeyLike, type KeyObject } from 'node:crypto';
import { ExclusiveCanonicalization, SignedXml, type SignatureAlgorithm } from 'xml-crypto';
import { signDeterministic } from '../../common/credentials/deterministicEcdsa';
import { NS } from './namespaces';
import { childElements, parseXmlDocument, type XmlDocument } from './xmlDocument';
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
 * part of the document can sit outside what was signed. The signature is read from `input`'s tree and what it signs
 * must be that same tree (see `signsThisTree`): the tree the caller goes on to act on.
 */
export function checkDocumentSignature(input: XmlDocument | string, publicKey: KeyObject | undefined): SignatureCheck {
  let signature: Element | undefined;
  let parsed: XmlDocument;
  try {
    parsed = typeof input === 'string' ? parseXmlDocument(input) : input;
    signature = rootSignature(parsed.document);
  } catch (error) {
    return { ok: false, reason: 'invalid', detail: error instanceof Error ? error.message : String(error) };
  }
  if (signature === undefined) return { ok: false, reason: 'unsigned', detail: 'the request carries no ds:Signature' };
  const expectations = shapeProblem(signature);
  if (expectations !== undefined) return { ok: false, reason: 'invalid', detail: expectations };
  if (publicKey === undefined) return { ok: false, reason: 'invalid', detail: 'no trusted key to verify the signature with' };
  const verifier = withEcdsa(new SignedXml({ publicCert: publicKey.export({ type: 'spki', format: 'pem' }) as string }));
  try {
    verifier.loadSignature(signature);
    if (!verifier.checkSignature(parsed.text)) return { ok: false, reason: 'invalid', detail: 'the signature does not verify with the sender certificate' };
  } catch (error) {
    return { ok: false, reason: 'invalid', detail: `the signature does not verify: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!signsThisTree(verifier, parsed.document, signature)) {
    return { ok: false, reason: 'invalid', detail: 'what the signature covers is not the document read (two readings of the text differ)' };
  }
  return { ok: true };
}

/**
 * xml-crypto checks the digest over its own parse of the text. The text was screened (no DOCTYPE, no processing
 * instruction) and xml-crypto parses with the same xmldom as xmlDocument.ts, so the two parses cannot differ; this
 * makes that a checked fact, not an argument: the canonical form xml-crypto verified must equal the canonical form of
 * the caller's tree, enveloped signature removed.
 */
function signsThisTree(verifier: SignedXml, document: Document, signature: Element): boolean {
  const signedReferences = verifier.getSignedReferences();
  if (signedReferences.length !== 1) return false;
  const root = document.documentElement.cloneNode(true) as Element;
  const copy = childElements(root, NS.ds, 'Signature');
  if (copy.length !== 1 || signature.parentNode !== document.documentElement) return false;
  root.removeChild(copy[0]);
  return new ExclusiveCanonicalization().process(root, {}) === signedReferences[0];
}

/** The root's one ds:Signature child; a signature anywhere else, or more than one, is an error. */
function rootSignature(document: Document): Element | undefined {
  const root = document.documentElement;
  const atRoot = childElements(root, NS.ds, 'Signature');
  const anywhere = document.getElementsByTagNameNS('*', 'Signature').length;
  if (anywhere !== atRoot.length) throw new Error('a ds:Signature is nested inside the document, not a child of its root');
  if (atRoot.length > 1) throw new Error(`the request carries ${atRoot.length} ds:Signature elements; exactly one is allowed`);
  return atRoot[0];
}

/** The only signature form accepted: what the DCC's templates carry. */
function shapeProblem(signature: Element): string | undefined {
  const descendants = Array.from(signature.getElementsByTagNameNS('*', '*') as unknown as ArrayLike<Element>);
  const algorithms = descendants.filter((e) => e.hasAttribute('Algorithm')).map((e) => e.getAttribute('Algorithm') ?? '');
  const references = descendants.filter((e) => e.localName === 'Reference');
  if (references.length !== 1 || references[0].namespaceURI !== NS.ds || !references[0].hasAttribute('URI') || references[0].getAttribute('URI') !== '') {
    return 'the signature must have exactly one Reference, URI=""';
  }
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
