/**
 * Issue 14 items 1 and 10: the request the gateway verifies is the request it acts on. A DOCTYPE whose internal
 * subset hides a captured signed request (a parser that ends the DOCTYPE at the first `]>` sees the signed request;
 * every other parser sees the unsigned one around it) must be refused before any reading, and a character
 * reference, which every conforming parser reads alike, must not split the readers.
 */
import { describe, expect, it } from 'vitest';
import { DuisBench } from '../../harness/bench/duisBench';
import { findTemplate } from '../../harness/bench/rtdsTemplates';
import { benchPki } from '../../emulator/host/benchPki';
import { AccessControl } from '../../harness/dsp/accessControl';
import { rtdsRegistrationData } from '../../harness/dsp/registrationData';
import { DuisGateway, type SignaturePolicy } from '../../harness/duis/gateway';
import { benchUserCertificates } from '../../harness/duis/requestSignatures';
import { DuisValidator } from '../../harness/duis/validator';
import { signDocument, withoutSignature } from '../../harness/duis/xmlSignature';

const SUPPLIER = benchPki('smso-1').parties[2];
const withCounter = (xml: string, counter: number) => xml.replace(/(<sr:RequestID>[^<]*:)\d+</, `$1${counter}<`);
const withoutDeclaration = (xml: string) => xml.replace(/^<\?xml[^>]*\?>\s*/, '');
const codesOf = (responses: readonly { xml: string }[]) =>
  responses.map((r) => /<sr:ResponseCode>([^<]+)</.exec(r.xml)?.[1]);
const supplyStateOf = (responses: readonly { xml: string }[]) =>
  /<ra:SupplyState>([^<]+)</.exec(responses.at(-1)!.xml)?.[1];

const testGateway = (policy: SignaturePolicy) =>
  new DuisGateway({
    validator: DuisValidator.load(),
    accessControl: new AccessControl(rtdsRegistrationData(), { slotCheck: 'slot-certificate' }),
    now: () => new Date('2025-06-02T10:15:30.412Z'),
    signatures: { policy, directory: benchUserCertificates('smso-1') },
  });

/** A genuinely signed 8.11 (critical), as a user sent it and an eavesdropper captured it. */
function capturedSigned811(): string {
  return signDocument(withCounter(withoutSignature(findTemplate('CCS01_8.11_SUCCESS')!.xml), 5000), SUPPLIER);
}

/**
 * The attack of issue 14: `<!DOCTYPE sr:Request [<!ENTITY x ']>SIGNED<!--'>]>` + an unsigned 7.2 carrying the
 * captured ds:Signature + `<!---->`.
 */
function wrappedDisableSupply(signed: string): string {
  const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
  const disable = withCounter(
    withoutDeclaration(withoutSignature(findTemplate('ECS43_7.2_SUCCESS')!.xml)),
    5001,
  ).replace('</sr:Request>', `${signature}</sr:Request>`);
  return `<!DOCTYPE sr:Request [<!ENTITY x ']>${withoutDeclaration(signed)}<!--'>]>${disable}<!---->`;
}

describe('signature verification and the request acted on are one reading (issue 14 items 1, 10)', () => {
  it('a 7.2 Disable Supply wrapped around a captured signed 8.11 by a DOCTYPE is refused under policy critical; the supply stays on', async () => {
    const signed = capturedSigned811();
    expect(signed).not.toContain("'");
    const attack = wrappedDisableSupply(signed);
    const readSupply = (counter: number) => withCounter(findTemplate('ECS45_7.4_SUCCESS')!.xml, counter);
    const bench = await DuisBench.start({
      vendor: 'itron',
      verifySignatures: 'critical',
      s1sp: { fixes: new Set(['response-code-always']) },
    });
    try {
      const [before, attacked, after] = await bench.sendAll([readSupply(4000), attack, readSupply(6000)]);
      expect(supplyStateOf(before.responses)).toBe('Enabled');
      expect(attacked.responses).toHaveLength(1);
      expect(codesOf(attacked.responses)).toEqual(['E40']);
      expect(attacked.responses[0].xml).toContain('DOCTYPE');
      expect(supplyStateOf(after.responses)).toBe('Enabled');
      // the control: the same 7.2, genuinely signed, does disable the supply, so the reads above can see a change
      const genuine = signDocument(
        withCounter(withoutSignature(findTemplate('ECS43_7.2_SUCCESS')!.xml), 7000),
        SUPPLIER,
      );
      const [disabled, read] = await bench.sendAll([genuine, readSupply(8000)]);
      expect(codesOf(disabled.responses)[0]).toBe('I99');
      expect(supplyStateOf(read.responses)).toBe('Disabled');
    } finally {
      await bench.close();
    }
  });
});

describe('a character reference reads alike for the signature check and the request (issue 14 item 10)', () => {
  it('a signed 8.11 whose InstallCode and RequestID counter end in character references is admitted under critical, values decoded', async () => {
    const signed = signDocument(withCounter(withoutSignature(findTemplate('CCS01_8.11_SUCCESS')!.xml), 1234), SUPPLIER);
    // a character reference canonicalises to the character it names, so the signature stays valid
    const withReferences = signed
      .replace(':1234<', ':123&#x34;<')
      .replace(
        '<sr:InstallCode>30313233343536373839414243444546<',
        '<sr:InstallCode>3031323334353637383941424344454&#x36;<',
      );
    expect(withReferences.match(/&#x3/g)).toHaveLength(2);
    const admission = await testGateway('critical').admit(withReferences);
    expect(admission).toMatchObject({
      ok: true,
      request: {
        requestId: { counter: 1234n },
        body: { kind: 'UpdateHANDeviceLog', change: { installCode: '30313233343536373839414243444546' } },
      },
    });
  });
});

describe('what is refused before any parser reads the text', () => {
  it('a DOCTYPE in any case, or a processing instruction after the XML declaration: E40, naming it and where', async () => {
    const request = findTemplate('CCS01_8.11_SUCCESS')!.xml;
    const [doctype, lower, instruction, declarationOnly] = await testGateway('off').admitAll([
      request.replace('<sr:Request ', '<!DOCTYPE sr:Request>\n<sr:Request '),
      request.replace('<sr:Request ', '<!doctype sr:Request>\n<sr:Request '),
      request.replace('<sr:Header>', '<?evil x?><sr:Header>'),
      request,
    ]);
    expect(doctype).toMatchObject({
      ok: false,
      code: 'E40',
      kind: 'malformed-xml',
      fault: 'a DOCTYPE is not allowed in a DUIS document (DUIS has none), found at line 2, column 1',
    });
    expect(lower).toMatchObject({
      ok: false,
      code: 'E40',
      fault: 'a DOCTYPE is not allowed in a DUIS document (DUIS has none), found at line 2, column 1',
    });
    expect(instruction).toMatchObject({
      ok: false,
      code: 'E40',
      fault: 'a processing instruction is not allowed in a DUIS document, found at line 3, column 3',
    });
    expect(declarationOnly.ok).toBe(true);
  });
});
