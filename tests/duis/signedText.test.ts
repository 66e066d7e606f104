/**
 * signTree writes the signed text when it is first read, not when it signs: the tree must then still be the tree
 * that was signed. Its content is frozen at signing, and the document element may meanwhile be moved (the S1SP's
 * signed response is grafted into its envelope before anyone reads the text). The expected bytes are xml-crypto's
 * (xmlCryptoOracle.ts), which this signer matches byte for byte. The signature in it is computed when first read too:
 * with the key and certificate the signer had when it signed, whatever it holds by then.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { benchS1spParty } from '../../harness/duis/s1spSigner';
import { Element, Text } from '../../harness/duis/dom/nodes';
import { parseXmlDocument } from '../../harness/duis/xmlDocument';
import { checkDocumentSignature, signerNow, signTree } from '../../harness/duis/xmlSignature';
import { xmlCryptoSign } from './xmlCryptoOracle';

const party = benchPki('signed-text-test').parties[2];
const doc =
  '<?xml version="1.0" encoding="UTF-8"?><r:root xmlns:r="urn:r"><r:a n="1">one</r:a><r:b><r:c>two</r:c></r:b></r:root>';
const expected = xmlCryptoSign(doc, party);

const signed = () => signTree(parseXmlDocument(doc).document, party);

describe('signTree: the text written when first read', () => {
  it('is the signed bytes, read at once or after the signed element was moved into another document', () => {
    expect(signed().xml).toBe(expected);
    const moved = signed();
    const envelope = parseXmlDocument('<e:envelope xmlns:e="urn:e"><e:slot/></e:envelope>').document;
    const slot = envelope.getElementsByTagNameNS('urn:e', 'slot')[0];
    slot.parentNode!.replaceChild(moved.document.documentElement, slot);
    expect(moved.xml).toBe(expected);
    expect(checkDocumentSignature(moved.xml, party.publicKey)).toEqual({ ok: true });
  });

  it('refuses every change to what was signed, and the text stays what was signed', () => {
    const target = signed();
    const root = target.document.documentElement;
    const a = root.getElementsByTagNameNS('urn:r', 'a')[0];
    const c = root.getElementsByTagNameNS('urn:r', 'c')[0];
    const changes: [string, () => void][] = [
      ['an attribute set on a descendant', () => a.setAttribute('n', '2')],
      ['an attribute added to the root', () => root.setAttribute('extra', 'x')],
      ['an attribute value written directly', () => (a.attributes[0].value = '3')],
      ['a text node written directly', () => ((c.firstChild as Text).data = 'three')],
      ['textContent replaced', () => (c.textContent = 'three')],
      ['a child appended to the root', () => root.appendChild(new Element('urn:r', 'r:d', 'r', 'd'))],
      ['a child appended below', () => c.appendChild(new Text('more'))],
      ['the root child removed', () => root.removeChild(root.firstChild!)],
      ['the last root child replaced', () => root.replaceChild(new Text('x'), root.lastChild!)],
      ['the first root child replaced', () => root.replaceChild(new Text('x'), root.firstChild!)],
      ['the root text replaced', () => (root.textContent = 'x')],
      ['a descendant moved out', () => parseXmlDocument('<x/>').document.documentElement.appendChild(c)],
    ];
    const [first, last] = [root.firstChild, root.lastChild];
    for (const [what, change] of changes) {
      expect(change, what).toThrow(TypeError);
      // the root's own child links, which the text (written first to last) would not show changed
      expect([root.firstChild, root.lastChild], what).toEqual([first, last]);
    }
    expect(target.xml).toBe(expected);
  });

  it("refuses a change to the signature's own attributes, which every signature shares, and no other text changes", () => {
    const [first, second] = [signed(), signed()];
    const ds = (element: string) =>
      first.document.documentElement.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', element)[0];
    const changes: [string, () => void][] = [
      ['the Reference URI written directly', () => (ds('Reference').attributes[0].value = '#other')],
      ['a Transform algorithm set', () => ds('Transform').setAttribute('Algorithm', 'urn:other')],
      ['an attribute added to SignedInfo', () => ds('SignedInfo').setAttribute('Id', 'x')],
      [
        'an attribute pushed onto DigestMethod',
        () => ds('DigestMethod').attributes.push(ds('Signature').attributes[0]),
      ],
      ['the ds declaration rebound', () => ds('Signature').setAttributeNS(null, 'xmlns:ds', 'urn:other')],
    ];
    for (const [what, change] of changes) expect(change, what).toThrow(TypeError);
    expect(first.xml).toBe(expected);
    expect(second.xml).toBe(expected);
    expect(signed().xml).toBe(expected);
  });

  it('is signed with the key and certificate the signer had at signing, read after they changed and others were signed', () => {
    const other = benchPki('signed-text-test').parties[3];
    // a signer whose key and certificate are plain values, replaced as a credential replacement replaces them
    const signer = { privateKey: party.privateKey, certificate: party.certificate };
    const early = signTree(parseXmlDocument(doc).document, signer);
    signer.privateKey = other.privateKey;
    signer.certificate = other.certificate;
    const later = signTree(parseXmlDocument(doc).document, signer);
    expect(later.xml).toBe(xmlCryptoSign(doc, other));
    expect(early.xml).toBe(expected);
    expect(
      checkDocumentSignature(early.xml, new X509Certificate(Buffer.from(party.certificate, 'hex')).publicKey),
    ).toEqual({
      ok: true,
    });

    // a key holder (every TestParty) keeps its key, and an issued party is frozen (issueTestCertificate remembers
    // it): its certificate cannot be replaced after signing, and another document signed after it changes nothing
    const holder = benchS1spParty('signed-text-test');
    const holderExpected = xmlCryptoSign(doc, holder);
    const held = signTree(parseXmlDocument(doc).document, holder);
    const certificate = holder.certificate;
    expect(() => ((holder as { certificate: string }).certificate = other.certificate)).toThrow(TypeError);
    signTree(parseXmlDocument(doc).document, holder).xml;
    expect(held.xml).toBe(holderExpected);
    expect(held.xml).toContain(Buffer.from(certificate, 'hex').toString('base64'));
  });

  it("is signed with the key a signer's getter gave at signing, however like a key holder's the getter looks", () => {
    // a plain object whose privateKey is a getter that cannot be redefined, as a key holder's is, and whose key then
    // changes: only the holders common/credentials made keep their key, so this one's is read at signing
    const other = benchPki('signed-text-test').parties[3];
    let current: KeyObject = party.privateKey;
    const signer = { certificate: party.certificate } as { certificate: string; privateKey: KeyObject };
    Object.defineProperty(signer, 'privateKey', { get: () => current, enumerable: true });
    const early = signTree(parseXmlDocument(doc).document, signer);
    current = other.privateKey;
    expect(early.xml).toBe(expected);
  });

  it('is signed, for a document signed later (signerNow: the S1SP alerts), with the key and certificate of then', () => {
    const other = benchPki('signed-text-test').parties[3];
    // a plain signer: its key and certificate replaced after the alert was sent, before it is built and signed
    const plain = { privateKey: party.privateKey, certificate: party.certificate };
    const atSending = signerNow(plain);
    plain.privateKey = other.privateKey;
    plain.certificate = other.certificate;
    expect(signTree(parseXmlDocument(doc).document, atSending).xml).toBe(expected);
    // a frozen key holder can change neither: it is kept as it is, not copied
    const holder = benchS1spParty('signed-text-test');
    expect(Object.isFrozen(holder)).toBe(true);
    expect(signerNow(holder)).toBe(holder);
  });
});
