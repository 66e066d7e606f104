/**
 * A signature made by signTree is computed the first time anyone reads it (xmlSignature.ts): reading the signed
 * response by path, as a migration does, computes neither the digest nor the ECDSA value; reading the DigestValue
 * computes the digest alone, the SignatureValue or the text both, once. Observed without touching the code under
 * test: the ECDSA (common/credentials signDeterministic) is wrapped to count its signatures with the S1SP's key, and a
 * document's content can hold a text computed on first read, which only the digest (or the text) reads.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { SigningKey } from '../../common/credentials/deterministicEcdsa';
import { textOnDemand } from '../../harness/duis/dom/nodes';
import { builtSmets1ResponseMessage } from '../../harness/duis/responses';
import { readDuisResponse } from '../../harness/duis/responseReader';
import { benchS1spParty, signSmets1Response } from '../../harness/duis/s1spSigner';
import {
  checkDocumentSignature,
  signTree,
  type SignedDocument,
  type SigningParty,
} from '../../harness/duis/xmlSignature';
import { el, leaf, toDocument } from '../../harness/duis/xmlTree';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const s1sp = benchS1spParty('signed-lazily-test');
const publicKey = new X509Certificate(Buffer.from(s1sp.certificate, 'hex')).publicKey;

/** The keys signDeterministic signed with, in order: every ECDSA value computed. */
const ecdsaKeys = vi.hoisted((): unknown[] => []);
vi.mock('../../common/credentials/deterministicEcdsa', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../common/credentials/deterministicEcdsa')>();
  return {
    ...original,
    signDeterministic: (message: Uint8Array, key: SigningKey) => {
      ecdsaKeys.push(key);
      return original.signDeterministic(message, key);
    },
  };
});

/** The S1SP party, and how many ECDSA values have been computed with its key since this call. */
function countingSigner(): { signer: SigningParty; keyReads: () => number } {
  const before = ecdsaKeys.filter((key) => key === s1sp).length;
  return { signer: s1sp, keyReads: () => ecdsaKeys.filter((key) => key === s1sp).length - before };
}

function signedResponse(signer: SigningParty) {
  const signed = signSmets1Response(
    {
      device: '00-DB-12-34-56-78-90-A0',
      target: '90-B3-D5-1F-30-01-00-00',
      counter: 7n,
      serviceReference: '8.11',
      serviceReferenceVariant: '8.11',
      timestamp: new Date('2025-06-02T10:16:02Z'),
    },
    { kind: 'response', rsp: { element: 'UpdateHANDeviceLogRsp', messageSuccess: true } },
    signer,
  );
  const built = builtSmets1ResponseMessage({
    requestId: '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:7',
    responseId: '00-DB-12-34-56-78-90-A0:90-B3-D5-1F-30-01-00-00:7',
    responseCode: 'I0',
    at: new Date('2025-06-02T10:16:02Z'),
    serviceReference: '8.11',
    serviceReferenceVariant: '8.11',
    signed,
  });
  return { signed, built };
}

/** The text of the signature's `ds:<name>`, read from the tree. */
const signatureValue = (signed: SignedDocument, name: string) =>
  signed.document.documentElement.getElementsByTagNameNS(DS, name)[0].textContent;

describe('a signature computed when first read', () => {
  it('is not computed to sign, graft and read an S1SP response by path', () => {
    const { signer, keyReads } = countingSigner();
    const { built } = signedResponse(signer);
    const reading = readDuisResponse(built);
    expect(reading.responseCode).toBe('I0');
    expect(reading.smets1?.rsp).toMatchObject({ element: 'UpdateHANDeviceLogRsp', messageSuccess: true });
    // the signature element is in place, its value not computed
    expect(built.document().getElementsByTagNameNS(DS, 'SignatureValue')).toHaveLength(1);
    expect(keyReads()).toBe(0);
    // the text computes it, once
    const xml = built.xml;
    expect(keyReads()).toBe(1);
    expect(built.xml).toBe(xml);
    expect(keyReads()).toBe(1);
  });

  it('the SignatureValue read from the tree is computed then, and is the one the text carries', () => {
    const { signer, keyReads } = countingSigner();
    const { signed } = signedResponse(signer);
    const value = signatureValue(signed, 'SignatureValue');
    expect(keyReads()).toBe(1);
    expect(Buffer.from(value, 'base64')).toHaveLength(64);
    expect(signed.xml).toContain(`<ds:SignatureValue>${value}</ds:SignatureValue>`);
    expect(keyReads()).toBe(1);
    expect(checkDocumentSignature(signed.xml, publicKey)).toEqual({ ok: true });
  });

  it('the digest reads the content when the DigestValue is first read, and not before; the ECDSA value not then', () => {
    const { signer, keyReads } = countingSigner();
    let contentReads = 0;
    const content = textOnDemand((word: string) => {
      contentReads++;
      return word;
    }, 'computed');
    const root = el('sr:Root', { 'xmlns:sr': SR }, leaf('sr:Kept', 'k'), el('sr:Late', null, content));
    const signed = signTree(toDocument(root), signer);
    expect([contentReads, keyReads()]).toEqual([0, 0]);
    const digest = signatureValue(signed, 'DigestValue');
    expect(Buffer.from(digest, 'base64')).toHaveLength(32);
    expect([contentReads, keyReads()]).toEqual([1, 0]);
    expect(signed.xml).toContain('<sr:Late>computed</sr:Late>');
    expect(signed.xml).toContain(`<ds:DigestValue>${digest}</ds:DigestValue>`);
    expect([contentReads, keyReads()]).toEqual([1, 1]);
    expect(checkDocumentSignature(signed.xml, publicKey)).toEqual({ ok: true });
    // a computed value is not written over
    const digestText = signed.document.documentElement.getElementsByTagNameNS(DS, 'DigestValue')[0].firstChild!;
    expect(() => ((digestText as { data: string }).data = 'forged')).toThrow(TypeError);
    expect(signatureValue(signed, 'DigestValue')).toBe(digest);
  });
});
