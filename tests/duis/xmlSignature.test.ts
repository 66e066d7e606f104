import { describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { checkDocumentSignature, signDocument, withoutSignature } from '../../harness/duis/xmlSignature';

const pki = benchPki('xml-signature-test');
const party = pki.parties[2];
const doc = '<?xml version="1.0" encoding="UTF-8"?><r:root xmlns:r="urn:r" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><r:a>1</r:a><r:b x="y">two</r:b></r:root>';

describe('signDocument / checkDocumentSignature', () => {
  const signed = signDocument(doc, party);

  it('round-trips with the signer key and fails with another', () => {
    expect(checkDocumentSignature(signed, party.publicKey)).toEqual({ ok: true });
    expect(checkDocumentSignature(signed, pki.parties[3].publicKey)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('reports a document without signature as unsigned', () => {
    expect(checkDocumentSignature(doc, party.publicKey)).toEqual({ ok: false, reason: 'unsigned', detail: 'the request carries no ds:Signature' });
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
  });

  it('refuses a reference to anything but the whole document, and other algorithms', () => {
    expect(checkDocumentSignature(signed.replace('URI=""', 'URI="#x"'), party.publicKey)).toEqual({
      ok: false,
      reason: 'invalid',
      detail: 'the signature must have exactly one Reference, URI=""',
    });
    const rsa = signed.replace('xmldsig-more#ecdsa-sha256', 'xmldsig-more#rsa-sha256');
    expect(checkDocumentSignature(rsa, party.publicKey)).toMatchObject({ ok: false, reason: 'invalid' });
    expect((checkDocumentSignature(rsa, party.publicKey) as { detail: string }).detail).toMatch(/^unexpected signature algorithms/);
  });

  it('withoutSignature removes only the root-level signature', () => {
    expect(withoutSignature(signed)).toBe(doc);
  });
});
