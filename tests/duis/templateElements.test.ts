/**
 * Values written into the DCC's request templates (a pack's `sr` params, the migration's requests, the 91342
 * repro's 8.11) are text in the tree, never markup: a value holding `<` used to be pasted into the document by a
 * regular-expression replace, adding elements of the pack author's choosing.
 */
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { RTDS_DEVICES, RTDS_USERS } from '../../harness/dsp/registrationData';
import { setRequestElements, type ElementValue } from '../../harness/duis/templateElements';
import { checkDocumentSignature, signDocument, withoutSignature } from '../../harness/duis/xmlSignature';
import { requests } from '../../harness/migration/requests';
import { requestXml } from '../../harness/run/packRequests';

const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const INJECTION = '300</sr:JoinTimePeriod><sr:Injected>1</sr:Injected><sr:JoinTimePeriod>';

/** Read independently of the code under test: a fresh xmldom parse, elements by namespace and local name. */
function texts(xml: string, name: string): string[] {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const found = document.getElementsByTagNameNS(SR, name);
  return Array.from({ length: found.length }, (_, i) => found.item(i)!.textContent ?? '');
}

describe("a pack's sr values written into an RTDS template", () => {
  it('carries a value with markup in it as escaped text, adding no element', () => {
    const { xml } = requestXml(
      { source: 'template', template: 'CCS01_8.11_SUCCESS', params: { JoinTimePeriod: INJECTION } },
      5,
      1,
    );
    expect(texts(xml, 'Injected')).toEqual([]);
    expect(texts(xml, 'JoinTimePeriod')).toEqual([INJECTION]);
    expect(xml).toContain(
      '<sr:JoinTimePeriod>300&lt;/sr:JoinTimePeriod&gt;&lt;sr:Injected&gt;1&lt;/sr:Injected&gt;&lt;sr:JoinTimePeriod&gt;</sr:JoinTimePeriod>',
    );
  });

  it('escapes & and leaves the rest of the template as it was, byte for byte', () => {
    const { xml } = requestXml(
      { source: 'template', template: 'CCS01_8.11_SUCCESS', params: { DeviceID: 'A&B' } },
      5,
      1,
    );
    expect(texts(xml, 'DeviceID')).toEqual(['A&B']);
    expect(xml).toContain('<sr:DeviceID>A&amp;B</sr:DeviceID>');
    expect(xml.endsWith('</sr:Request>\n')).toBe(true);
    expect(xml.split('\n').length).toBe(
      requestXml({ source: 'template', template: 'CCS01_8.11_SUCCESS', params: {} }, 5, 1).xml.split('\n').length,
    );
  });

  it('refuses an element the template does not have, and one that holds elements, naming the template', () => {
    expect(() => requestXml({ source: 'template', template: 'CCS01_8.11_SUCCESS', params: { Nope: 1 } }, 5, 1)).toThrow(
      'RTDS template CCS01_8.11_SUCCESS has no element Nope to set',
    );
    expect(() =>
      requestXml({ source: 'template', template: 'CCS01_8.11_SUCCESS', params: { Header: 'x' } }, 5, 1),
    ).toThrow('RTDS template CCS01_8.11_SUCCESS: Header holds elements, not a value to set');
  });

  it('refuses a template that is not well-formed XML', () => {
    expect(() =>
      setRequestElements('<sr:Request xmlns:sr="' + SR + '"><sr:A>1</sr:Request>', [['A', '2']], 'a broken template'),
    ).toThrow(/not well-formed XML/);
  });

  it('gives a request whose signature, made after the edit, verifies', () => {
    const party = benchPki('template-elements-test').parties[2];
    const { xml } = requestXml(
      { source: 'template', template: 'CCS01_8.11_SUCCESS', params: { JoinTimePeriod: 'a<b' } },
      9,
      1,
    );
    // the RTDS template carries the DCC's own signature: a sender replaces it with its own
    const signed = signDocument(withoutSignature(xml), party);
    expect(checkDocumentSignature(signed, party.publicKey)).toEqual({ ok: true });
    expect(texts(signed, 'JoinTimePeriod')).toEqual(['a<b']);
  });
});

describe("the migration's requests", () => {
  it('write the MPxN as text: markup in it adds no element', () => {
    const ids = { originator: RTDS_USERS.supplier, target: RTDS_DEVICES.esme, counter: 3n };
    const certificate = benchPki('template-elements-test').parties[2].certificate;
    const { xml } = requests.changeOfSupplier(
      ids,
      certificate,
      '123</sr:ImportMPxN><sr:Injected/><sr:ImportMPxN>',
      'l',
    );
    expect(texts(xml, 'Injected')).toEqual([]);
    expect(texts(xml, 'ImportMPxN')).toEqual(['123</sr:ImportMPxN><sr:Injected/><sr:ImportMPxN>']);
    expect(texts(xml, 'RequestID')).toEqual([`${RTDS_USERS.supplier}:${RTDS_DEVICES.esme}:3`]);
  });
});

describe('the template tree is parsed once and left as the template after every request', () => {
  const template = `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}"><sr:A>one</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>x</sr:D></sr:C></sr:Request>\n`;

  it('a value set in one request is not in the next, which sets other elements', () => {
    expect(
      setRequestElements(
        template,
        [
          ['A', '1'],
          ['B', '2'],
        ],
        't',
      ),
    ).toBe(
      `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}"><sr:A>1</sr:A><sr:B>2</sr:B><sr:C><sr:D>x</sr:D></sr:C></sr:Request>\n`,
    );
    expect(setRequestElements(template, [['D', '3']], 't')).toBe(
      `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}"><sr:A>one</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>3</sr:D></sr:C></sr:Request>\n`,
    );
  });

  it('an element set twice in one request, or a request refused half-way, leaves the template as it was', () => {
    expect(
      setRequestElements(
        template,
        [
          ['A', '1'],
          ['A', '2'],
        ],
        't',
      ),
    ).toContain('<sr:A>2</sr:A>');
    expect(() =>
      setRequestElements(
        template,
        [
          ['A', 'changed'],
          ['C', 'not allowed'],
        ],
        't',
      ),
    ).toThrow('t: C holds elements, not a value to set');
    expect(() =>
      setRequestElements(
        template,
        [
          ['B', 'changed'],
          ['Missing', '1'],
        ],
        't',
      ),
    ).toThrow('t has no element Missing to set');
    expect(setRequestElements(template, [], 't')).toBe(template);
  });
});

describe('a request written from the cut template (the template text with the set elements taken out)', () => {
  const template = `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}"><sr:A>one</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>x</sr:D></sr:C></sr:Request>\n`;
  const names = (a: string, d: string): ElementValue[] => [
    ['D', d],
    ['A', a],
  ];

  it('is the edited template byte for byte, on the first request and on every later one, values escaped as text', () => {
    for (const [a, d, written] of [
      ['1', '2', '<sr:A>1</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>2</sr:D></sr:C>'],
      [
        'a<b>&c',
        'x\r\ny',
        '<sr:A>a&lt;b&gt;&amp;c</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>x\r\ny</sr:D></sr:C>',
      ],
      ['\u0000', ']]>', '<sr:A>\u0000</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>]]&gt;</sr:D></sr:C>'],
    ]) {
      expect(setRequestElements(template, names(a, d), 't')).toBe(
        `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}">${written}</sr:Request>\n`,
      );
    }
  });

  it('an empty value leaves the element empty (<sr:A/>), and the same names with values again are cut as before', () => {
    expect(setRequestElements(template, names('', '5'), 't')).toBe(
      `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}"><sr:A/><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>5</sr:D></sr:C></sr:Request>\n`,
    );
    expect(setRequestElements(template, names('6', '7'), 't')).toBe(
      `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}"><sr:A>6</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>7</sr:D></sr:C></sr:Request>\n`,
    );
  });

  it('a name given twice takes its last value; names in another order are the same elements', () => {
    expect(
      setRequestElements(
        template,
        [
          ['A', '1'],
          ['D', '2'],
          ['A', '3'],
        ],
        't',
      ),
    ).toBe(
      `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}"><sr:A>3</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>2</sr:D></sr:C></sr:Request>\n`,
    );
    expect(
      setRequestElements(
        template,
        [
          ['A', '8'],
          ['D', '9'],
        ],
        't',
      ),
    ).toBe(
      `<?xml version="1.0"?><sr:Request xmlns:sr="${SR}"><sr:A>8</sr:A><sr:B>two<!-- kept --></sr:B><sr:C><sr:D>9</sr:D></sr:C></sr:Request>\n`,
    );
  });

  it('more sets of names than a template keeps cuts for are all written right, and refusals still name the element', () => {
    const many = `<sr:Request xmlns:sr="${SR}">${Array.from({ length: 20 }, (_, i) => `<sr:E${i}>v</sr:E${i}>`).join('')}</sr:Request>`;
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 20; i++) {
        const written = setRequestElements(many, [[`E${i}`, `r${round}`]], 't');
        expect(texts(written, `E${i}`)).toEqual([`r${round}`]);
        expect(written.match(/>v</g)).toHaveLength(19);
      }
    expect(() => setRequestElements(template, [...names('1', '2'), ['C', 'x']], 't')).toThrow(
      't: C holds elements, not a value to set',
    );
    expect(() => setRequestElements(template, [['Nope', 'x']], 't')).toThrow('t has no element Nope to set');
  });
});
