/**
 * XML signatures as the DCC uses them (RTDS templates, DCC Boxed), and nothing else: one enveloped signature over the
 * whole document (`URI=""`), exclusive c14n, SHA-256 digest, ECDSA P-256 / SHA-256 with the signature value as r‖s
 * (XMLDSig 1.1, `ieee-p1363`). Purpose-built for that one profile over the one parsed tree (exclusiveC14n.ts) rather
 * than a general XMLDSig library: the signature is found and read by path, anything outside the profile is refused,
 * and what is verified is the tree the caller acts on, not a second parse of the text. Signing uses the project's
 * deterministic ECDSA (RFC 6979, common/credentials), so the same document and key always give the same bytes.
 */
import { createHash, KeyObject, verify } from 'node:crypto';
import { signDeterministic, signingKeyNow, type SigningKey } from '../../common/credentials/deterministicEcdsa';
import { certificateBase64 } from './certificateBase64';
import { Attr, Element, freezeContent, Text, textOnDemand, type Document } from './dom/nodes';
import { serialise } from './dom/serialiser';
import { canonicalDocument, canonicalElement, CanonicalizationError, canonicalRoot } from './exclusiveC14n';
import { NS, XMLNS_NAMESPACE } from './namespaces';
import { childElements, elementChildren, parseXmlDocument, type XmlDocument } from './xmlDocument';
import { parseToNode, writeOrdered, type OrderedNode } from './xmlTree';

const ALGORITHM = {
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

export interface SigningParty {
  readonly privateKey: KeyObject;
  /** DER certificate, lower-case hex (common/credentials TestParty). */
  readonly certificate: string;
}

/**
 * The signer as it is now, for a document built and signed later (the S1SP's alerts, adapter.ts sendAlert): its key
 * fixed as signTree fixes it (signingKeyNow) and its certificate read now. A frozen key holder (every issued
 * TestParty) can change neither, so it is returned as it is; anything else is copied, so a key or certificate
 * replaced after this cannot reach the signature.
 */
export function signerNow(party: SigningParty): SigningParty {
  const key = signingKeyNow(party);
  if (key instanceof KeyObject) return Object.freeze({ privateKey: key, certificate: party.certificate });
  return Object.isFrozen(party)
    ? party
    : Object.freeze({ privateKey: party.privateKey, certificate: party.certificate });
}

/**
 * Signs a whole document (enveloped, `URI=""`): the signature goes last inside the document element, and KeyInfo
 * carries the signer's certificate (X509Certificate rather than X509IssuerSerial: libxml2 rejects the 38-digit
 * serials of real DCC certificates as xs:integer, and the certificate lets a verifier name the signer). The text is
 * the parsed tree serialised again, as a general XMLDSig signer writes it (tests/duis/xmlCryptoOracle.ts compares).
 */
export function signDocument(xml: string, signer: SigningParty): string {
  return signTree(parseXmlDocument(xml).document, signer).xml;
}

/**
 * A signed tree and its text, written when first read (exactly the bytes signDocument returns): the S1SP's signed
 * responses are judged by their trees during a migration and grafted into an envelope, so most of their text is
 * never written, and the signature in it never computed (signTree). The document element's content is frozen at
 * signing (freezeContent), so the text, whenever it is written, is of the tree that was signed; the element itself
 * may be moved (the envelope graft) before then.
 */
export interface SignedDocument {
  readonly xml: string;
  readonly document: Document;
}

/**
 * signDocument over a tree already built (the signature is appended to it): no text to parse. The ds:Signature
 * element is in place at once, but its DigestValue and SignatureValue are computed the first time anyone reads them
 * (textOnDemand), directly or by writing the text: a migration reads the S1SP's responses by path and never the
 * signature, which was most of a response's cost. Everything they are computed from is fixed here: the content
 * (frozen), the key (signingKeyNow: a key holder's own, or the privateKey the signer holds now) and the certificate
 * (written now), and the ECDSA is deterministic (RFC 6979), so the bytes are the same whenever they are read, as if
 * computed here.
 */
export function signTree(document: Document, signer: SigningParty): SignedDocument {
  // what outside the document element could refuse a canonical form, refused now rather than when first read
  const root = canonicalRoot(document);
  // declared on the signature itself, so it stays whole when cut out or embedded elsewhere
  const signature = ds(root, 'Signature', SIGNATURE_ATTRIBUTES.declaration);
  const signedInfo = ds(signature, 'SignedInfo');
  ds(signedInfo, 'CanonicalizationMethod', SIGNATURE_ATTRIBUTES.excC14n);
  ds(signedInfo, 'SignatureMethod', SIGNATURE_ATTRIBUTES.ecdsaSha256);
  const reference = ds(signedInfo, 'Reference', SIGNATURE_ATTRIBUTES.wholeDocument);
  const transforms = ds(reference, 'Transforms');
  ds(transforms, 'Transform', SIGNATURE_ATTRIBUTES.enveloped);
  ds(transforms, 'Transform', SIGNATURE_ATTRIBUTES.excC14n);
  ds(reference, 'DigestMethod', SIGNATURE_ATTRIBUTES.sha256);
  const pending: PendingSignature = { root, signature, signedInfo, key: signingKeyNow(signer) };
  ds(reference, 'DigestValue').appendChild(textOnDemand(digestValue, pending));
  ds(signature, 'SignatureValue').appendChild(textOnDemand(signatureValue, pending));
  ds(ds(ds(signature, 'KeyInfo'), 'X509Data'), 'X509Certificate').appendChild(
    new Text(certificateBase64(signer.certificate)),
  );
  return writtenOnDemand(document);
}

/** Appends a `ds:` element, with its attributes if given (one of SIGNATURE_ATTRIBUTES), to `parent`; returns it. */
function ds(parent: Element, localName: DsName, attributes?: readonly Attr[]): Element {
  const element = new Element(NS.ds, DS_QUALIFIED[localName], 'ds', localName);
  if (attributes !== undefined) (element as { attributes: readonly Attr[] }).attributes = attributes;
  parent.appendChild(element);
  return element;
}

/**
 * The attribute lists of a signature's elements, made and frozen once and shared by every signature: a signed tree is
 * frozen at signing (writtenOnDemand) and an Attr holds no link to its element, so a shared frozen list is what each
 * signature's own would have become, without seven lists and attributes per signature to make, freeze and keep.
 */
const SIGNATURE_ATTRIBUTES = {
  declaration: frozenAttribute(XMLNS_NAMESPACE, 'xmlns:ds', 'xmlns', 'ds', NS.ds),
  excC14n: frozenAttribute(null, 'Algorithm', null, 'Algorithm', ALGORITHM.excC14n),
  ecdsaSha256: frozenAttribute(null, 'Algorithm', null, 'Algorithm', ALGORITHM.ecdsaSha256),
  wholeDocument: frozenAttribute(null, 'URI', null, 'URI', ''),
  enveloped: frozenAttribute(null, 'Algorithm', null, 'Algorithm', ALGORITHM.enveloped),
  sha256: frozenAttribute(null, 'Algorithm', null, 'Algorithm', ALGORITHM.sha256),
};

/** A frozen list of one frozen attribute. */
function frozenAttribute(...fields: ConstructorParameters<typeof Attr>): readonly Attr[] {
  return Object.freeze([Object.freeze(new Attr(...fields))]);
}

/** The elements a signature is made of, each with its qualified name written once rather than per signature. */
const DS_NAMES = [
  'Signature',
  'SignedInfo',
  'CanonicalizationMethod',
  'SignatureMethod',
  'Reference',
  'Transforms',
  'Transform',
  'DigestMethod',
  'DigestValue',
  'SignatureValue',
  'KeyInfo',
  'X509Data',
  'X509Certificate',
] as const;
type DsName = (typeof DS_NAMES)[number];
const DS_QUALIFIED = Object.fromEntries(DS_NAMES.map((name) => [name, `ds:${name}`])) as Record<DsName, string>;

/** What a signature's values are computed from when first read, all of it fixed at signing. */
interface PendingSignature {
  readonly root: Element;
  readonly signature: Element;
  readonly signedInfo: Element;
  readonly key: SigningKey;
}

/** The enveloped transform then exclusive c14n: the document element with the signature left out in place. */
function digestValue({ root, signature }: PendingSignature): string {
  return createHash('sha256').update(canonicalElement(root, signature), 'utf8').digest('base64');
}

/** SignedInfo's canonical form holds the DigestValue: reading it computes the digest first. */
function signatureValue({ signedInfo, key }: PendingSignature): string {
  return signDeterministic(Buffer.from(canonicalElement(signedInfo), 'utf8'), key).toString('base64');
}

function writtenOnDemand(document: Document): SignedDocument {
  const root = document.documentElement;
  freezeContent(root);
  // what surrounds the document element (the XML declaration) is written now: the element alone is frozen, and may
  // have left this document by the time the text is read
  let before = '';
  let after = '';
  let seen = false;
  for (let child = document.firstChild; child !== null; child = child.nextSibling) {
    if (child === root) seen = true;
    else if (seen) after += serialise(child);
    else before += serialise(child);
  }
  return new SignedText(document, root, before, after);
}

/**
 * writtenOnDemand's SignedDocument. A class, its getter on the prototype, not an object literal with a getter: that
 * gives each object a map of its own (responses.ts BuiltTree).
 */
class SignedText implements SignedDocument {
  declare readonly document: Document;
  declare private readonly root: Element;
  declare private readonly before: string;
  declare private readonly after: string;
  declare private text: string | undefined;

  constructor(document: Document, root: Element, before: string, after: string) {
    this.document = document;
    this.root = root;
    this.before = before;
    this.after = after;
    this.text = undefined;
  }

  get xml(): string {
    // the serialiser writes a CR in text as it is, which a parser reads back as LF: written as a reference, it
    // stays what was signed
    return (this.text ??= `${this.before}${serialise(this.root)}${this.after}`.replace(/\r/g, '&#xD;'));
  }
}

export type SignatureCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'unsigned' | 'invalid'; readonly detail: string };

/**
 * Checks a document signed as above against a public key the verifier already trusts (never the KeyInfo's: a
 * forger controls that). Exactly one ds:Signature, a direct child of the document element, in exactly the form
 * signDocument writes (readSignature): anything else is refused, so no part of the document can sit outside what was
 * signed. The digest is computed over `input`'s own tree, the signature left out in place: the tree the caller goes
 * on to act on is the tree whose signature verified.
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
  const read = readSignature(signature);
  if (typeof read === 'string') return { ok: false, reason: 'invalid', detail: read };
  if (publicKey === undefined)
    return { ok: false, reason: 'invalid', detail: 'no trusted key to verify the signature with' };
  let digest: Buffer;
  let signedInfo: string;
  try {
    digest = createHash('sha256').update(canonicalDocument(parsed.document, signature), 'utf8').digest();
    signedInfo = canonicalElement(read.signedInfo);
  } catch (error) {
    if (!(error instanceof CanonicalizationError)) throw error;
    return { ok: false, reason: 'invalid', detail: `the signed document has no canonical form: ${error.message}` };
  }
  const verified =
    digest.equals(read.digestValue) &&
    verify(
      'sha256',
      Buffer.from(signedInfo, 'utf8'),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      read.signatureValue,
    );
  if (!verified)
    return { ok: false, reason: 'invalid', detail: 'the signature does not verify with the sender certificate' };
  return { ok: true };
}

/** The root's one ds:Signature child; a signature anywhere else, or more than one, is an error. */
function rootSignature(document: Document): Element | undefined {
  const root = document.documentElement;
  const atRoot = childElements(root, NS.ds, 'Signature');
  const anywhere = document.getElementsByTagNameNS('*', 'Signature').length;
  if (anywhere !== atRoot.length)
    throw new Error('a ds:Signature is nested inside the document, not a child of its root');
  if (atRoot.length > 1)
    throw new Error(`the request carries ${atRoot.length} ds:Signature elements; exactly one is allowed`);
  return atRoot[0];
}

interface ReadSignature {
  readonly signedInfo: Element;
  readonly digestValue: Buffer;
  readonly signatureValue: Buffer;
}

/**
 * The only signature form accepted, read by path: Signature = SignedInfo, SignatureValue, optional KeyInfo (ignored);
 * SignedInfo = CanonicalizationMethod (exclusive c14n), SignatureMethod (ECDSA-SHA256), one Reference with only
 * `URI=""`; Reference = Transforms (enveloped, then exclusive c14n), DigestMethod (SHA-256), DigestValue. No
 * InclusiveNamespaces, no Object, no other transform: the RTDS templates' form without the explicit c14n transform is
 * refused too, since XMLDSig then canonicalises inclusively, which is not what this verifier computes.
 */
function readSignature(signature: Element): ReadSignature | string {
  const algorithms = signature
    .getElementsByTagNameNS('*', '*')
    .filter((e) => e.hasAttribute('Algorithm'))
    .map((e) => e.getAttribute('Algorithm') ?? '');
  const references = signature.getElementsByTagNameNS('*', 'Reference');
  const reference = references[0];
  if (
    references.length !== 1 ||
    reference!.namespaceURI !== NS.ds ||
    reference!.getAttribute('URI') !== '' ||
    !reference!.hasAttribute('URI') ||
    reference!.attributes.length !== 1
  ) {
    return 'the signature must have exactly one Reference, URI=""';
  }
  const expected = [ALGORITHM.excC14n, ALGORITHM.ecdsaSha256, ALGORITHM.enveloped, ALGORITHM.excC14n, ALGORITHM.sha256];
  const same = (list: readonly string[]) =>
    list.length === algorithms.length && list.every((a, i) => a === algorithms[i]);
  if (same([ALGORITHM.excC14n, ALGORITHM.ecdsaSha256, ALGORITHM.enveloped, ALGORITHM.sha256])) {
    return "the signature's only transform is the enveloped one (the RTDS templates' form, which XMLDSig canonicalises inclusively): exclusive c14n must follow it";
  }
  if (!same(expected)) {
    return `unexpected signature algorithms ${algorithms.join(', ')}: exclusive c14n, ECDSA-SHA256, enveloped then exclusive c14n, SHA-256 required`;
  }
  const top = children(signature, ['SignedInfo', 'SignatureValue', 'KeyInfo?']);
  if (typeof top === 'string') return top;
  const info = children(top.SignedInfo, ['CanonicalizationMethod', 'SignatureMethod', 'Reference']);
  if (typeof info === 'string') return info;
  const ref = children(info.Reference, ['Transforms', 'DigestMethod', 'DigestValue']);
  if (typeof ref === 'string') return ref;
  const transforms = children(ref.Transforms, ['Transform', 'Transform']);
  if (typeof transforms === 'string') return transforms;
  for (const empty of [
    info.CanonicalizationMethod,
    info.SignatureMethod,
    ref.DigestMethod,
    ...elementChildren(ref.Transforms),
  ]) {
    const problem = childless(empty);
    if (problem !== undefined) return problem;
  }
  const digestValue = base64Value(ref.DigestValue, 32);
  if (typeof digestValue === 'string') return digestValue;
  const signatureValue = base64Value(top.SignatureValue, 64);
  if (typeof signatureValue === 'string') return signatureValue;
  return { signedInfo: top.SignedInfo, digestValue, signatureValue };
}

/**
 * The ds: element children of `element`, exactly those named in order (`?` marks an optional last one), with only
 * whitespace and comments between them; keyed by local name.
 */
function children(element: Element, names: readonly string[]): Record<string, Element> | string {
  const found: Element[] = [];
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === child.ELEMENT_NODE) found.push(child as Element);
    else if (
      (child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE) &&
      (child.nodeValue ?? '').trim() !== ''
    ) {
      return `ds:${element.localName} holds text; only ${names.join(', ')} are allowed in it`;
    }
  }
  const required = names.filter((n) => !n.endsWith('?')).length;
  const allowed = names.map((n) => n.replace(/\?$/, ''));
  const wrong =
    found.length < required ||
    found.length > names.length ||
    found.some((e, i) => e.namespaceURI !== NS.ds || e.localName !== allowed[i]);
  if (wrong) {
    return `ds:${element.localName} must hold ${names.map((n) => `ds:${n}`).join(', ')}, in that order, not ${found.map((e) => e.nodeName).join(', ') || 'nothing'}`;
  }
  return Object.fromEntries(found.map((e) => [e.localName, e]));
}

function childless(element: Element): string | undefined {
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === child.ELEMENT_NODE)
      return `ds:${element.localName} holds ${child.nodeName}; nothing is allowed in it`;
    if (child.nodeType !== child.COMMENT_NODE && (child.nodeValue ?? '').trim() !== '')
      return `ds:${element.localName} holds text; nothing is allowed in it`;
  }
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Base64 text (XML may wrap it) of exactly `bytes` bytes. */
function base64Value(element: Element, bytes: number): Buffer | string {
  const problem = elementChildren(element).length > 0 ? 'holds elements' : undefined;
  const text = (element.textContent ?? '').replace(/[ \t\r\n]/g, '');
  if (problem !== undefined || !BASE64.test(text)) return `ds:${element.localName} is not base64`;
  const value = Buffer.from(text, 'base64');
  if (value.length !== bytes) return `ds:${element.localName} holds ${value.length} bytes, not ${bytes}`;
  return value;
}

/** The document without its root-level ds:Signature (a template's placeholder), ready to be signed for real. */
export function withoutSignature(xml: string): string {
  const root = parseToNode(xml);
  const rootName = Object.keys(root).find((k) => k !== ':@')!;
  root[rootName] = (root[rootName] as OrderedNode[]).filter(
    (child) => !Object.keys(child).some((k) => k === 'Signature' || k.endsWith(':Signature')),
  );
  return writeOrdered(root);
}
