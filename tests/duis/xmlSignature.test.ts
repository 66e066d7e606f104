import { describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { rtdsTemplates } from '../../harness/bench/rtdsTemplates';
import { ProcessingInstruction } from '../../harness/duis/dom/nodes';
import { parseXmlDocument } from '../../harness/duis/xmlDocument';
import { checkDocumentSignature, signDocument, withoutSignature } from '../../harness/duis/xmlSignature';
import { independentlyVerify } from './independentVerifier';
import { xmlCryptoSign, xmlCryptoVerifies } from './xmlCryptoOracle';

const pki = benchPki('xml-signature-test');
const party = pki.parties[2];
const doc =
  '<?xml version="1.0" encoding="UTF-8"?><r:root xmlns:r="urn:r" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><r:a>1</r:a><r:b x="y">two</r:b></r:root>';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const ALG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
};

describe('signDocument / checkDocumentSignature', () => {
  const signed = signDocument(doc, party);

  it('round-trips with the signer key and fails with another', () => {
    expect(checkDocumentSignature(signed, party.publicKey)).toEqual({ ok: true });
    expect(checkDocumentSignature(signed, pki.parties[3].publicKey)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('reports a document without signature as unsigned', () => {
    expect(checkDocumentSignature(doc, party.publicKey)).toEqual({
      ok: false,
      reason: 'unsigned',
      detail: 'the request carries no ds:Signature',
    });
  });

  it('refuses a signature nested below the root and a second root-level signature', () => {
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const nested = withoutSignature(signed).replace('<r:a>1</r:a>', `<r:a>1</r:a><r:c>${signature}</r:c>`);
    expect(checkDocumentSignature(nested, party.publicKey)).toEqual({
      ok: false,
      reason: 'invalid',
      detail: 'a ds:Signature is nested inside the document, not a child of its root',
    });
    const twice = signed.replace('</r:root>', `${signature}</r:root>`);
    expect(checkDocumentSignature(twice, party.publicKey)).toEqual({
      ok: false,
      reason: 'invalid',
      detail: 'the request carries 2 ds:Signature elements; exactly one is allowed',
    });
    // an element called Signature in any namespace, anywhere, counts: nothing may look like a second signature
    const lookalike = signed.replace('<r:a>1</r:a>', '<r:a>1</r:a><r:Signature/>');
    expect(checkDocumentSignature(lookalike, party.publicKey)).toMatchObject({
      ok: false,
      detail: 'a ds:Signature is nested inside the document, not a child of its root',
    });
  });

  it('refuses a reference to anything but the whole document, and other algorithms', () => {
    expect(checkDocumentSignature(signed.replace('URI=""', 'URI="#x"'), party.publicKey)).toEqual({
      ok: false,
      reason: 'invalid',
      detail: 'the signature must have exactly one Reference, URI=""',
    });
    const rsa = signed.replace('xmldsig-more#ecdsa-sha256', 'xmldsig-more#rsa-sha256');
    expect(checkDocumentSignature(rsa, party.publicKey)).toMatchObject({ ok: false, reason: 'invalid' });
    expect((checkDocumentSignature(rsa, party.publicKey) as { detail: string }).detail).toMatch(
      /^unexpected signature algorithms/,
    );
  });

  it('withoutSignature removes only the root-level signature', () => {
    expect(withoutSignature(signed)).toBe(doc);
  });
});

describe('the verifier takes exactly the DUIS form and refuses everything else, naming it', () => {
  const signed = signDocument(doc, party);
  const refusal = (xml: string) => {
    const check = checkDocumentSignature(xml, party.publicKey);
    expect(check.ok).toBe(false);
    return (check as { detail: string }).detail;
  };
  const reference = /<ds:Reference URI="">[\s\S]*<\/ds:Reference>/.exec(signed)![0];

  it('a second Reference (say, to a part the attacker controls), or a Reference with another attribute', () => {
    expect(refusal(signed.replace(reference, reference + reference))).toBe(
      'the signature must have exactly one Reference, URI=""',
    );
    expect(refusal(signed.replace('<ds:Reference URI="">', '<ds:Reference URI="" Id="r">'))).toBe(
      'the signature must have exactly one Reference, URI=""',
    );
  });

  it("another transform, or only the enveloped one (the RTDS templates' form, which XMLDSig canonicalises inclusively)", () => {
    const xpath = `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>1</ds:XPath></ds:Transform>`;
    expect(refusal(signed.replace('</ds:Transforms>', `${xpath}</ds:Transforms>`))).toMatch(
      /^unexpected signature algorithms .*REC-xpath/,
    );
    expect(refusal(signed.replace(`<ds:Transform Algorithm="${ALG.excC14n}"/>`, ''))).toBe(
      "the signature's only transform is the enveloped one (the RTDS templates' form, which XMLDSig canonicalises inclusively): exclusive c14n must follow it",
    );
    const swapped = signed.replace(
      `<ds:Transform Algorithm="${ALG.enveloped}"/><ds:Transform Algorithm="${ALG.excC14n}"/>`,
      `<ds:Transform Algorithm="${ALG.excC14n}"/><ds:Transform Algorithm="${ALG.enveloped}"/>`,
    );
    expect(refusal(swapped)).toMatch(/^unexpected signature algorithms/);
  });

  it('an InclusiveNamespaces prefix list, or any content, in a method or transform', () => {
    const prefixList = `<ds:Transform Algorithm="${ALG.excC14n}"><ec:InclusiveNamespaces xmlns:ec="${ALG.excC14n}" PrefixList="r"/></ds:Transform>`;
    expect(refusal(signed.replace(`<ds:Transform Algorithm="${ALG.excC14n}"/>`, prefixList))).toBe(
      'ds:Transform holds ec:InclusiveNamespaces; nothing is allowed in it',
    );
    const method = signed.replace(
      `<ds:CanonicalizationMethod Algorithm="${ALG.excC14n}"/>`,
      `<ds:CanonicalizationMethod Algorithm="${ALG.excC14n}">x</ds:CanonicalizationMethod>`,
    );
    expect(refusal(method)).toBe('ds:CanonicalizationMethod holds text; nothing is allowed in it');
  });

  it('a ds:Object (where a wrapping attack hides the signed original) or any other extra element in the signature', () => {
    const original = doc.replace(/^<\?xml[^>]*\?>/, '');
    const wrapped = signed
      .replace('<r:a>1</r:a>', '<r:a>2</r:a>')
      .replace('</ds:Signature>', `<ds:Object>${original}</ds:Object></ds:Signature>`);
    expect(refusal(wrapped)).toBe(
      'ds:Signature must hold ds:SignedInfo, ds:SignatureValue, ds:KeyInfo?, in that order, not ds:SignedInfo, ds:SignatureValue, ds:KeyInfo, ds:Object',
    );
    expect(refusal(signed.replace('<ds:SignatureValue>', '<ds:Manifest/><ds:SignatureValue>'))).toMatch(
      /^ds:Signature must hold/,
    );
    expect(refusal(signed.replace('<ds:Reference URI="">', 'text<ds:Reference URI="">'))).toBe(
      'ds:SignedInfo holds text; only CanonicalizationMethod, SignatureMethod, Reference are allowed in it',
    );
  });

  it('a digest or signature value that is not base64 of the right length', () => {
    const digest = /<ds:DigestValue>([^<]+)</.exec(signed)![1];
    expect(refusal(signed.replace(digest, 'AAAA'))).toBe('ds:DigestValue holds 3 bytes, not 32');
    expect(refusal(signed.replace(digest, '!!'))).toBe('ds:DigestValue is not base64');
    const value = /<ds:SignatureValue>([^<]+)</.exec(signed)![1];
    expect(refusal(signed.replace(value, value.slice(4)))).toMatch(/^ds:SignatureValue holds \d+ bytes, not 64$/);
  });

  it('a changed body, a changed attribute, an added element or a changed SignedInfo: the signature does not verify', () => {
    const fails = 'the signature does not verify with the sender certificate';
    expect(refusal(signed.replace('<r:a>1</r:a>', '<r:a>2</r:a>'))).toBe(fails);
    expect(refusal(signed.replace('x="y"', 'x="z"'))).toBe(fails);
    expect(refusal(signed.replace('<r:a>1</r:a>', '<r:a>1</r:a><r:extra/>'))).toBe(fails);
    // a new DigestValue matching an altered body changes SignedInfo, which the signature value covers
    const altered = signDocument(withoutSignature(signed).replace('<r:a>1</r:a>', '<r:a>2</r:a>'), party);
    const newDigest = /<ds:DigestValue>[^<]+</.exec(altered)![0];
    expect(refusal(altered.replace(/<ds:SignatureValue>[^<]+</, /<ds:SignatureValue>[^<]+</.exec(signed)![0]))).toBe(
      fails,
    );
    expect(refusal(signed.replace('<r:a>1</r:a>', '<r:a>2</r:a>').replace(/<ds:DigestValue>[^<]+</, newDigest))).toBe(
      fails,
    );
  });

  it('but whitespace between the signature elements, a KeyInfo left out, and comments anywhere are what c14n says they are', () => {
    const laidOut = signed.replace(/(<ds:(?:SignedInfo|Reference URI="")>)/g, '$1\n  ');
    expect(checkDocumentSignature(laidOut, party.publicKey)).toMatchObject({
      ok: false,
      detail: 'the signature does not verify with the sender certificate',
    });
    expect(checkDocumentSignature(signed.replace(/<ds:KeyInfo>[\s\S]*<\/ds:KeyInfo>/, ''), party.publicKey)).toEqual({
      ok: true,
    });
    expect(
      checkDocumentSignature(signed.replace('<r:a>1</r:a>', '<r:a>1<!-- note --></r:a>'), party.publicKey),
    ).toEqual({ ok: true });
    expect(
      checkDocumentSignature(signed.replace('</ds:SignedInfo>', '<!-- note --></ds:SignedInfo>'), party.publicKey),
    ).toEqual({ ok: true });
  });
});

describe('the structure, element by element (each refusal word for word)', () => {
  const signed = signDocument(doc, party);
  const refusal = (xml: string) => {
    const check = checkDocumentSignature(xml, party.publicKey);
    expect(check.ok).toBe(false);
    return (check as { detail: string }).detail;
  };
  const value = /<ds:SignatureValue>[^<]+<\/ds:SignatureValue>/.exec(signed)![0];
  const keyInfo = /<ds:KeyInfo>[\s\S]*<\/ds:KeyInfo>/.exec(signed)![0];

  it('no trusted key: refused as invalid, naming that, before any crypto', () => {
    expect(checkDocumentSignature(signed, undefined)).toEqual({
      ok: false,
      reason: 'invalid',
      detail: 'no trusted key to verify the signature with',
    });
  });

  it('SignatureValue missing, after KeyInfo, or in another namespace', () => {
    expect(refusal(signed.replace(value, ''))).toBe(
      'ds:Signature must hold ds:SignedInfo, ds:SignatureValue, ds:KeyInfo?, in that order, not ds:SignedInfo, ds:KeyInfo',
    );
    expect(refusal(signed.replace(value, '').replace(keyInfo, keyInfo + value))).toBe(
      'ds:Signature must hold ds:SignedInfo, ds:SignatureValue, ds:KeyInfo?, in that order, not ds:SignedInfo, ds:KeyInfo, ds:SignatureValue',
    );
    const foreign = value.replace(/ds:SignatureValue/g, 'x:SignatureValue').replace('>', ' xmlns:x="urn:x">');
    expect(refusal(signed.replace(value, foreign))).toBe(
      'ds:Signature must hold ds:SignedInfo, ds:SignatureValue, ds:KeyInfo?, in that order, not ds:SignedInfo, x:SignatureValue, ds:KeyInfo',
    );
  });

  it('the Reference in another namespace (its prefix rebound), its children out of order, a third Transform', () => {
    const rebound = signed.replace('<ds:Reference URI="">', '<ds:Reference xmlns:ds="urn:x" URI="">');
    expect(refusal(rebound)).toBe('the signature must have exactly one Reference, URI=""');
    const digest = /<ds:DigestValue>[^<]+<\/ds:DigestValue>/.exec(signed)![0];
    const swapped = signed.replace(digest, '').replace('<ds:DigestMethod', `${digest}<ds:DigestMethod`);
    expect(refusal(swapped)).toBe(
      'ds:Reference must hold ds:Transforms, ds:DigestMethod, ds:DigestValue, in that order, not ds:Transforms, ds:DigestValue, ds:DigestMethod',
    );
    expect(refusal(signed.replace('</ds:Transforms>', '<ds:Transform/></ds:Transforms>'))).toBe(
      'ds:Transforms must hold ds:Transform, ds:Transform, in that order, not ds:Transform, ds:Transform, ds:Transform',
    );
  });

  it('the Reference under a prefix of another namespace, no extra attribute: refused as no ds:Reference', () => {
    const foreign = signed
      .replace('<ds:SignedInfo>', '<ds:SignedInfo xmlns:x="urn:x">')
      .replace('<ds:Reference URI="">', '<x:Reference URI="">')
      .replace('</ds:Reference>', '</x:Reference>');
    expect(refusal(foreign)).toBe('the signature must have exactly one Reference, URI=""');
  });

  it('a required last child missing: Reference without DigestValue, Signature with only SignedInfo', () => {
    const digest = /<ds:DigestValue>[^<]+<\/ds:DigestValue>/.exec(signed)![0];
    expect(refusal(signed.replace(digest, ''))).toBe(
      'ds:Reference must hold ds:Transforms, ds:DigestMethod, ds:DigestValue, in that order, not ds:Transforms, ds:DigestMethod',
    );
    expect(refusal(signed.replace(value, '').replace(keyInfo, ''))).toBe(
      'ds:Signature must hold ds:SignedInfo, ds:SignatureValue, ds:KeyInfo?, in that order, not ds:SignedInfo',
    );
  });

  it('the right algorithms in the right order but the Reference emptied into KeyInfo: refused, the Reference holds nothing', () => {
    const reference = /<ds:Reference URI="">([\s\S]*)<\/ds:Reference>/.exec(signed)!;
    const moved = signed
      .replace(reference[0], '<ds:Reference URI=""/>')
      .replace('</ds:KeyInfo>', `${reference[1]}</ds:KeyInfo>`);
    expect(refusal(moved)).toBe(
      'ds:Reference must hold ds:Transforms, ds:DigestMethod, ds:DigestValue, in that order, not nothing',
    );
  });

  it('a tree with no canonical form (a processing instruction added after the root, past the text screen): invalid, naming it', () => {
    const parsed = parseXmlDocument(signed);
    parsed.document.appendChild(new ProcessingInstruction('pi', 'x'));
    expect(checkDocumentSignature(parsed, party.publicKey)).toEqual({
      ok: false,
      reason: 'invalid',
      detail: 'the signed document has no canonical form: a processing instruction (pi) outside the document element',
    });
  });

  it('CDATA text in the structure, or an element inside a DigestValue', () => {
    expect(refusal(signed.replace('<ds:Reference URI="">', '<![CDATA[x]]><ds:Reference URI="">'))).toBe(
      'ds:SignedInfo holds text; only CanonicalizationMethod, SignatureMethod, Reference are allowed in it',
    );
    expect(refusal(signed.replace('<ds:DigestValue>', '<ds:DigestValue><ds:x/>'))).toBe('ds:DigestValue is not base64');
  });

  it('an Algorithm anywhere else in the signature (say in KeyInfo) is one algorithm too many, all of them named', () => {
    expect(refusal(signed.replace('</ds:KeyInfo>', '<x:m xmlns:x="urn:x" Algorithm="urn:other"/></ds:KeyInfo>'))).toBe(
      `unexpected signature algorithms ${ALG.excC14n}, http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256, ${ALG.enveloped}, ${ALG.excC14n}, http://www.w3.org/2001/04/xmlenc#sha256, urn:other: exclusive c14n, ECDSA-SHA256, enveloped then exclusive c14n, SHA-256 required`,
    );
  });

  it('a comment inside a method or transform is allowed (c14n drops it); text is not', () => {
    const commented = signed.replace(
      '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>',
      '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"><!-- SHA-256 --></ds:DigestMethod>',
    );
    expect(checkDocumentSignature(commented, party.publicKey)).toEqual({ ok: true });
  });

  it('withoutSignature removes a root-level Signature written with a default namespace, no prefix', () => {
    const unprefixed = `<r:root xmlns:r="urn:r"><r:a>1</r:a><Signature xmlns="${DS}"><SignedInfo/></Signature></r:root>`;
    expect(withoutSignature(unprefixed)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><r:root xmlns:r="urn:r"><r:a>1</r:a></r:root>',
    );
  });
});

describe('attribute value normalisation: two texts are one signed value exactly when a parser reads them alike', () => {
  const fails = { ok: false, reason: 'invalid', detail: 'the signature does not verify with the sender certificate' };

  it('a literal TAB, LF or CRLF in an attribute is read as one space (XML 1.0 §3.3.3): interchangeable with a space', () => {
    const signedTab = signDocument('<r:root xmlns:r="urn:r"><r:a x="a\tb"/></r:root>', party);
    // the signer writes what it read: one space
    expect(signedTab).toContain('<r:a x="a b"/>');
    for (const same of ['a\tb', 'a\nb', 'a\r\nb']) {
      expect(checkDocumentSignature(signedTab.replace('x="a b"', `x="${same}"`), party.publicKey)).toEqual({
        ok: true,
      });
    }
  });

  it('a TAB written as a character reference is a TAB: a literal TAB or a space in its place does not verify', () => {
    const signedReference = signDocument('<r:root xmlns:r="urn:r"><r:a x="a&#9;b"/></r:root>', party);
    // xmldom writes the TAB back as a decimal reference
    expect(signedReference).toContain('<r:a x="a&#9;b"/>');
    expect(checkDocumentSignature(signedReference.replace('a&#9;b', 'a\tb'), party.publicKey)).toEqual(fails);
    expect(checkDocumentSignature(signedReference.replace('a&#9;b', 'a b'), party.publicKey)).toEqual(fails);
    expect(checkDocumentSignature(signedReference.replace('a&#9;b', 'a&#x9;b'), party.publicKey)).toEqual({ ok: true });
  });
});

describe('what the project signs is what a general XMLDSig implementation signs (xml-crypto, libxml2)', () => {
  const templates = rtdsTemplates();

  it(`byte for byte as xml-crypto signs it, and verified by xml-crypto, for every RTDS template (${templates.length})`, () => {
    for (const template of templates) {
      const unsigned = withoutSignature(template.xml);
      const ours = signDocument(unsigned, party);
      expect(ours, template.name).toBe(xmlCryptoSign(unsigned, party));
      expect(xmlCryptoVerifies(ours, party.publicKey), template.name).toBe(true);
      expect(checkDocumentSignature(ours, party.publicKey), template.name).toEqual({ ok: true });
    }
  });

  it('text and attributes with & < > " \' CR, TAB and LF, character references and CDATA sign alike', async () => {
    const tricky =
      '<?xml version="1.0" encoding="UTF-8"?><r:root xmlns:r="urn:r" xmlns="urn:d" xmlns:unused="urn:u">' +
      '<r:a q="&amp;&lt;&gt;&quot;\'&#9;&#10;&#13;" b="2">&amp;&lt;&gt;"\'&#13;&#x41;<![CDATA[<x>&]]></r:a><plain xmlns="">t</plain><d>é €</d></r:root>';
    const ours = signDocument(tricky, party);
    expect(ours).toBe(xmlCryptoSign(tricky, party));
    expect(xmlCryptoVerifies(ours, party.publicKey)).toBe(true);
    expect(checkDocumentSignature(ours, party.publicKey)).toEqual({ ok: true });
    expect(await independentlyVerify(ours, party.publicKey)).toEqual({ digestOk: true, signatureOk: true });
  });

  it("xml-crypto's signature verifies here, and one it made over another body does not", () => {
    const theirs = xmlCryptoSign(doc, party);
    expect(checkDocumentSignature(theirs, party.publicKey)).toEqual({ ok: true });
    const other = xmlCryptoSign(doc.replace('two', 'three'), party);
    const spliced = theirs.replace(
      /<ds:Signature[\s\S]*<\/ds:Signature>/,
      /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(other)![0],
    );
    expect(checkDocumentSignature(spliced, party.publicKey)).toMatchObject({
      ok: false,
      detail: 'the signature does not verify with the sender certificate',
    });
  });

  it('the signature declares its own namespace, so it survives being cut out of its document', () => {
    expect(signDocument(doc, party)).toContain(`<ds:Signature xmlns:ds="${DS}"><ds:SignedInfo>`);
  });
});
