/**
 * An adversary's attacks on the DUIS signature check, each sent through the gateway under policy `critical` with a
 * genuinely signed 8.7.1 Join (critical) as the captured material: refused with its E-code, or admitted and shown to
 * act on exactly what was signed (and said why that is harmless).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { AccessControl } from '../../harness/dsp/accessControl';
import { rtdsRegistrationData } from '../../harness/dsp/registrationData';
import { DuisGateway, type Admission } from '../../harness/duis/gateway';
import { benchUserCertificates } from '../../harness/duis/requestSignatures';
import { DuisValidator } from '../../harness/duis/validator';
import { signDocument, withoutSignature } from '../../harness/duis/xmlSignature';

const require = createRequire(import.meta.url);
const TEMPLATE_DIR = join(dirname(require.resolve('@smartdcc/duis-templates/package.json')), 'templates');
const JOIN = withoutSignature(readFileSync(join(TEMPLATE_DIR, 'CS03A1_8.7.1_SUCCESS_REQUEST_DUIS.XML'), 'utf8'));
const validator = DuisValidator.load();
const pki = benchPki('signature-attacks');
const SUPPLIER = pki.parties[2];
const DNO = pki.parties[3];
const SIGNED_DEVICE = '00-DB-12-34-56-78-90-9A';
const OTHER_DEVICE = '00-DB-12-34-56-78-90-9B';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const SIGNED_ID = '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:100';

/** A fresh gateway per attack, so no attack is refused merely as a replay of the last. */
const admit = (xml: string): Promise<Admission> =>
  new DuisGateway({
    validator,
    accessControl: new AccessControl(rtdsRegistrationData(), { slotCheck: 'slot-certificate' }),
    now: () => new Date('2025-06-02T10:15:30.412Z'),
    signatures: { policy: 'critical', directory: benchUserCertificates('signature-attacks') },
  }).admit(xml);

const signed = signDocument(JOIN.replace(/(<sr:RequestID>[^<]*:)\d+</, '$1100<'), SUPPLIER);
const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
const body = /<sr:Body>[\s\S]*<\/sr:Body>/.exec(signed)![0];
const header = /<sr:Header>[\s\S]*<\/sr:Header>/.exec(signed)![0];
const otherBody = body.replace(SIGNED_DEVICE, OTHER_DEVICE);
const inKeyInfo = (xml: string, content: string) => xml.replace('</ds:KeyInfo>', `${content}</ds:KeyInfo>`);

function refusal(admission: Admission) {
  if (admission.ok) throw new Error('expected a refusal');
  return { code: admission.code, fault: admission.fault };
}

/** What an admitted request acts on: the RequestID and the device joined. */
function actedOn(admission: Admission) {
  if (!admission.ok) throw new Error(`expected admission, got ${admission.code} ${admission.fault}`);
  return { requestId: admission.request.requestIdText, body: admission.request.body };
}
const SIGNED_ACTION = { requestId: SIGNED_ID, body: { otherDeviceId: SIGNED_DEVICE } };

describe('the captured request itself', () => {
  it('is admitted, acting on the signed RequestID and device (the control for every attack below)', async () => {
    expect(actedOn(await admit(signed))).toMatchObject(SIGNED_ACTION);
  });
});

describe('signature wrapping', () => {
  it('the signed Body moved into KeyInfo (under an unknown element), another Body in its place: E44', async () => {
    const wrapped = inKeyInfo(signed.replace(body, otherBody), `<x:kept xmlns:x="urn:x">${body}</x:kept>`);
    expect(refusal(await admit(wrapped))).toEqual({
      code: 'E44',
      fault: 'the signature does not verify with the sender certificate',
    });
  });

  it('a second Body in KeyInfo, the signed one left in place: admitted and acts on the signed Body (KeyInfo is never read)', async () => {
    const decoy = inKeyInfo(signed, `<x:decoy xmlns:x="urn:x">${otherBody}</x:decoy>`);
    expect(actedOn(await admit(decoy))).toMatchObject(SIGNED_ACTION);
  });

  it('a second, complete sr:Request (another device) inside KeyInfo: admitted, acting on the outer, signed one', async () => {
    const inner = `<sr:Request xmlns:sr="${SR}" schemaVersion="5.4">${header.replace(':100<', ':101<')}${otherBody}</sr:Request>`;
    const decoy = inKeyInfo(signed, inner);
    expect(actedOn(await admit(decoy))).toMatchObject(SIGNED_ACTION);
  });

  it('the Signature moved into the Header: E41 (the schema has no place for it)', async () => {
    const moved = signed.replace(signature, '').replace('</sr:Header>', `${signature}</sr:Header>`);
    expect(refusal(await admit(moved))).toMatchObject({ code: 'E41' });
  });

  it('a second Signature in KeyInfo: E41 directly (the schema refuses it there), E44 "nested" under an unknown element', async () => {
    expect(refusal(await admit(inKeyInfo(signed, signature)))).toMatchObject({ code: 'E41' });
    expect(refusal(await admit(inKeyInfo(signed, `<x:w xmlns:x="urn:x">${signature}</x:w>`)))).toEqual({
      code: 'E44',
      fault: 'a ds:Signature is nested inside the document, not a child of its root',
    });
  });
});

describe('skipping the check', () => {
  it("an unsigned critical Join relabelled 8.7.2 (non-critical, not verified under critical): E41, its body must be the SRV's", async () => {
    const relabelled = JOIN.replace('<sr:ServiceReferenceVariant>8.7.1<', '<sr:ServiceReferenceVariant>8.7.2<');
    expect(refusal(await admit(relabelled))).toEqual({
      code: 'E41',
      fault:
        '/Request/Body: ServiceReferenceVariant 8.7.2 needs a JoinServiceNonCritical body, not JoinServiceCritical',
    });
  });
});

describe('namespace tricks', () => {
  it('the ds prefix bound to another namespace: E41 (the schema wants ds:Signature)', async () => {
    const rebound = signed.replace(`<ds:Signature xmlns:ds="${DS}"`, '<ds:Signature xmlns:ds="urn:evil"');
    expect(refusal(await admit(rebound))).toMatchObject({ code: 'E41' });
  });

  it('the signature rewritten with a default namespace instead of the ds prefix: E44 (SignedInfo canonicalises differently)', async () => {
    const unprefixed = signed.replace(signature, signature.replace(/<(\/?)ds:/g, '<$1').replace('xmlns:ds=', 'xmlns='));
    expect(unprefixed).toContain(`<Signature xmlns="${DS}"><SignedInfo>`);
    expect(refusal(await admit(unprefixed))).toEqual({
      code: 'E44',
      fault: 'the signature does not verify with the sender certificate',
    });
  });

  it('an unused xmlns declaration on the Signature or SignedInfo: admitted, as exclusive c14n writes no unused one', async () => {
    const declared = signed
      .replace(`<ds:Signature xmlns:ds="${DS}"`, `<ds:Signature xmlns:ds="${DS}" xmlns:sr="urn:not-duis"`)
      .replace('<ds:SignedInfo>', '<ds:SignedInfo xmlns="urn:default">');
    expect(actedOn(await admit(declared))).toMatchObject(SIGNED_ACTION);
  });

  it('a Reference in another namespace added inside KeyInfo: E44, only one Reference of any namespace', async () => {
    const lookalike = inKeyInfo(signed, '<x:Reference xmlns:x="urn:x" URI=""/>');
    expect(refusal(await admit(lookalike))).toEqual({
      code: 'E44',
      fault: 'the signature must have exactly one Reference, URI=""',
    });
  });
});

describe('c14n edge cases: what is read is what was verified', () => {
  it('a comment splitting the RequestID and the device id: admitted, read as the signed text (both drop comments)', async () => {
    const split = signed
      .replace('<sr:RequestID>90-B3', '<sr:RequestID>90-B3<!--x-->')
      .replace(`>${SIGNED_DEVICE}<`, '>00-DB-12-34<!-- -99- -->-56-78-90-9A<');
    expect(actedOn(await admit(split))).toMatchObject(SIGNED_ACTION);
  });

  it('a comment that would make a different value if read as text changes neither reading: the device stays 9A', async () => {
    // were the comment read as text by one reader and dropped by the other, this would be 9B to one of them
    const hidden = signed.replace(`>${SIGNED_DEVICE}<`, '>00-DB-12-34-56-78-90-9<!--B-->A<');
    expect(actedOn(await admit(hidden))).toMatchObject(SIGNED_ACTION);
  });

  it('the device id as CDATA or as character references: admitted, the same value', async () => {
    const cdata = signed.replace(`>${SIGNED_DEVICE}<`, `><![CDATA[${SIGNED_DEVICE}]]><`);
    expect(actedOn(await admit(cdata))).toMatchObject(SIGNED_ACTION);
    const references = signed.replace(`>${SIGNED_DEVICE}<`, '>00-DB-12-34-56-78-90-&#x39;&#65;<');
    expect(actedOn(await admit(references))).toMatchObject(SIGNED_ACTION);
  });

  it('CDATA hiding markup is text, not an element: the signature over the real text fails', async () => {
    const cdata = signed.replace(`>${SIGNED_DEVICE}<`, `><![CDATA[${OTHER_DEVICE}]]><`);
    expect(refusal(await admit(cdata))).toMatchObject({ code: 'E44' });
  });

  it('whitespace added inside SignedInfo: E44 (it is signed as it stands)', async () => {
    expect(refusal(await admit(signed.replace('<ds:SignedInfo>', '<ds:SignedInfo>\n  ')))).toEqual({
      code: 'E44',
      fault: 'the signature does not verify with the sender certificate',
    });
  });
});

describe('digest and signature values', () => {
  const digest = /<ds:DigestValue>([^<]+)</.exec(signed)![1];
  const value = /<ds:SignatureValue>([^<]+)</.exec(signed)![1];

  it('empty, or of the wrong length: E44 naming the element and the byte count', async () => {
    expect(refusal(await admit(signed.replace(digest, '')))).toEqual({
      code: 'E44',
      fault: 'ds:DigestValue holds 0 bytes, not 32',
    });
    expect(refusal(await admit(signed.replace(value, '')))).toEqual({
      code: 'E44',
      fault: 'ds:SignatureValue holds 0 bytes, not 64',
    });
    const r = Buffer.from(value, 'base64');
    const short = Buffer.concat([r.subarray(0, 31), r.subarray(32)]).toString('base64');
    expect(refusal(await admit(signed.replace(value, short)))).toEqual({
      code: 'E44',
      fault: 'ds:SignatureValue holds 63 bytes, not 64',
    });
    // DER instead of r‖s: 30 44, 02 20 r, 02 20 s = 4 + 32 + 2 + 32 = 70 bytes
    const der = Buffer.concat([
      Buffer.from([0x30, 0x44, 0x02, 0x20]),
      r.subarray(0, 32),
      Buffer.from([0x02, 0x20]),
      r.subarray(32),
    ]);
    expect(refusal(await admit(signed.replace(value, der.toString('base64'))))).toEqual({
      code: 'E44',
      fault: 'ds:SignatureValue holds 70 bytes, not 64',
    });
  });

  it('base64 wrapped over lines, or split by a comment: admitted (the same bytes)', async () => {
    const wrapped = signed.replace(value, `\n${value.slice(0, 40)}\n  ${value.slice(40)}\n`);
    expect(actedOn(await admit(wrapped))).toMatchObject(SIGNED_ACTION);
    const commented = signed.replace(digest, `${digest.slice(0, 8)}<!-- -->${digest.slice(8)}`);
    expect(actedOn(await admit(commented))).toMatchObject(SIGNED_ACTION);
  });

  it('not base64 (a stray character, missing padding): E41, the schema (xs:base64Binary) refuses it first', async () => {
    for (const bad of [`${digest.slice(0, -1)}*`, digest.replace('=', '')]) {
      expect(refusal(await admit(signed.replace(digest, bad)))).toMatchObject({
        code: 'E41',
        fault: expect.stringContaining('DigestValue') as unknown as string,
      });
    }
  });

  it('r or s zero: E44, does not verify', async () => {
    const r = Buffer.from(value, 'base64');
    const zeroS = Buffer.concat([r.subarray(0, 32), Buffer.alloc(32)]).toString('base64');
    const zeroR = Buffer.concat([Buffer.alloc(32), r.subarray(32)]).toString('base64');
    for (const forged of [zeroS, zeroR]) {
      expect(refusal(await admit(signed.replace(value, forged)))).toEqual({
        code: 'E44',
        fault: 'the signature does not verify with the sender certificate',
      });
    }
  });

  it('the high-S twin of the signature (n - s) verifies, but is the same request: a replay of an admitted one is E42', async () => {
    // the P-256 group order n, from SEC 2 / FIPS 186-4 D.1.2.3
    const n = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const r = Buffer.from(value, 'base64');
    const s = BigInt(`0x${r.subarray(32).toString('hex')}`);
    const twinS = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex');
    const twin = signed.replace(value, Buffer.concat([r.subarray(0, 32), twinS]).toString('base64'));
    expect(twin).not.toBe(signed);
    expect(actedOn(await admit(twin))).toMatchObject(SIGNED_ACTION);
    const gateway = new DuisGateway({
      validator,
      accessControl: new AccessControl(rtdsRegistrationData(), { slotCheck: 'slot-certificate' }),
      now: () => new Date('2025-06-02T10:15:30.412Z'),
      signatures: { policy: 'critical', directory: benchUserCertificates('signature-attacks') },
    });
    expect((await gateway.admit(signed)).ok).toBe(true);
    expect(refusal(await gateway.admit(twin))).toMatchObject({ code: 'E42' });
  });
});

describe('KeyInfo is never the key', () => {
  const certificateOf = (xml: string) => /<ds:X509Certificate>([^<]+)</.exec(xml)![1];

  it("a genuine signature with another party's certificate in KeyInfo: admitted (the key is the directory's)", async () => {
    const dnoCertificate = Buffer.from(DNO.certificate, 'hex').toString('base64');
    const swapped = signed.replace(certificateOf(signed), dnoCertificate);
    expect(swapped).toContain(dnoCertificate);
    expect(actedOn(await admit(swapped))).toMatchObject(SIGNED_ACTION);
  });

  it("a forger's signature carrying the supplier's genuine certificate in KeyInfo: E44", async () => {
    const forged = signDocument(JOIN.replace(/(<sr:RequestID>[^<]*:)\d+</, '$1100<'), DNO);
    const dressed = forged.replace(certificateOf(forged), certificateOf(signed));
    expect(dressed).toContain(certificateOf(signed));
    expect(refusal(await admit(dressed))).toEqual({
      code: 'E44',
      fault: 'the signature does not verify with the sender certificate',
    });
  });
});

describe('limits', () => {
  it('100,000 elements nested in KeyInfo (the schema takes anything there): E40 naming the depth, not a stack overflow', async () => {
    const deep = 100_000;
    const nested = inKeyInfo(signed, `<x:a xmlns:x="urn:x">${'<x:a>'.repeat(deep)}${'</x:a>'.repeat(deep)}</x:a>`);
    expect(refusal(await admit(nested))).toEqual({
      code: 'E40',
      fault: expect.stringMatching(
        /^\/: elements nested deeper than 256, found at line \d+, column \d+$/,
      ) as unknown as string,
    });
  });

  it('nesting to 256 deep is read (the limit is on depth, not on a legitimate signature)', async () => {
    // Request (1) > Signature (2) > KeyInfo (3) > x:a … : 253 more levels reach 256
    const levels = 253;
    const nested = inKeyInfo(signed, `${'<x:a xmlns:x="urn:x">'.repeat(levels)}${'</x:a>'.repeat(levels)}`);
    expect(actedOn(await admit(nested))).toMatchObject(SIGNED_ACTION);
    const deeper = inKeyInfo(signed, `${'<x:a xmlns:x="urn:x">'.repeat(levels + 1)}${'</x:a>'.repeat(levels + 1)}`);
    expect(refusal(await admit(deeper))).toMatchObject({ code: 'E40' });
  });

  it('a document over 8 MiB (padding in KeyInfo): E40 before any parse', async () => {
    const huge = inKeyInfo(signed, `<x:a xmlns:x="urn:x">${'A'.repeat(8 * 1024 * 1024)}</x:a>`);
    expect(refusal(await admit(huge))).toEqual({ code: 'E40', fault: 'document larger than 8388608 bytes' });
  });
});
