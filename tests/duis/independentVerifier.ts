/**
 * An XMLDSig verifier that shares nothing with the code under test: libxml2 (through xmllint-wasm's `--exc-c14n`)
 * canonicalises, node:crypto hashes and checks the ECDSA signature, and the document is cut with plain string
 * operations. It handles exactly the form the gateway signs: one enveloped signature, `URI=""`, exclusive c14n,
 * SHA-256, ECDSA P-256 r‖s.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import { validateXML } from 'xmllint-wasm';

const DS = 'http://www.w3.org/2000/09/xmldsig#';

async function exclusiveC14n(xml: string): Promise<string> {
  const result = await validateXML({
    xml: { fileName: 'doc.xml', contents: xml },
    normalization: 'c14n',
    modifyArguments: (args) => args.map((a) => (a === '--c14n' ? '--exc-c14n' : a)),
  });
  // xmllint ends its output with a newline that is not part of the canonical form
  return result.normalized.replace(/\n$/, '');
}

function between(xml: string, open: RegExp, close: string): { start: number; end: number } {
  const m = open.exec(xml);
  if (m === null) throw new Error(`no ${open}`);
  const end = xml.indexOf(close, m.index);
  if (end < 0) throw new Error(`no ${close}`);
  return { start: m.index, end: end + close.length };
}

/** `document` is a standalone signed document (e.g. an SMETS1SignedResponse cut out of its envelope). */
export async function independentlyVerify(
  document: string,
  publicKey: KeyObject,
): Promise<{ digestOk: boolean; signatureOk: boolean }> {
  const sig = between(document, /<ds:Signature\b/, '</ds:Signature>');
  const signature = document.slice(sig.start, sig.end);
  const withoutSignature = document.slice(0, sig.start) + document.slice(sig.end);
  const digest = createHash('sha256')
    .update(await exclusiveC14n(withoutSignature), 'utf8')
    .digest('base64');
  const digestValue = /<ds:DigestValue>([^<]+)<\/ds:DigestValue>/.exec(signature)![1];

  const si = between(signature, /<ds:SignedInfo\b/, '</ds:SignedInfo>');
  const signedInfo = signature.slice(si.start, si.end).replace(/^<ds:SignedInfo\b/, `<ds:SignedInfo xmlns:ds="${DS}"`);
  const canonicalSignedInfo = await exclusiveC14n(signedInfo);
  const signatureValue = Buffer.from(/<ds:SignatureValue>([^<]+)<\/ds:SignatureValue>/.exec(signature)![1], 'base64');
  const signatureOk = verify(
    'sha256',
    Buffer.from(canonicalSignedInfo, 'utf8'),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    signatureValue,
  );
  return { digestOk: digest === digestValue, signatureOk };
}

/** Cuts `<tag …>…</tag>` out of a larger document. */
export function cutElement(xml: string, qualifiedName: string): string {
  const range = between(xml, new RegExp(`<${qualifiedName}\\b`), `</${qualifiedName}>`);
  return xml.slice(range.start, range.end);
}
