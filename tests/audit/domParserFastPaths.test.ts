/**
 * The DUIS parser's fast paths (harness/duis/dom/parser.ts) under documents crafted to slip past them: the BMP-only
 * pattern tried before the search for a forbidden character (a control, U+FFFE/U+FFFF, a lone surrogate of either
 * half, one right after a valid pair), the end tag compared as one slice (same length, another prefix for the same
 * namespace, a prefix of the name), and the last-prefix memo (a prefix redeclared in a nested or a sibling scope, a
 * prefix used after its declaration went out of scope, the default namespace undeclared with xmlns=""). Each is
 * checked on the parser and, where it is a whole request, on the DUIS gateway's answer (E40, malformed-xml).
 * Expected namespaces and messages are written from XML 1.0 and Namespaces in XML 1.0.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessControl } from '../../harness/dsp/accessControl';
import { rtdsRegistrationData } from '../../harness/dsp/registrationData';
import type { Element } from '../../harness/duis/dom/nodes';
import { parseDom, XmlSyntaxError } from '../../harness/duis/dom/parser';
import { DuisGateway } from '../../harness/duis/gateway';
import { DuisValidator } from '../../harness/duis/validator';

const require = createRequire(import.meta.url);
const TEMPLATE = readFileSync(
  join(
    dirname(require.resolve('@smartdcc/duis-templates/package.json')),
    'templates',
    'CCS01_8.11_SUCCESS_REQUEST_DUIS.XML',
  ),
  'utf8',
);

const parse = (xml: string) => parseDom(xml, 256);
const refusal = (xml: string): string => {
  try {
    parse(xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError) return error.message;
    throw error;
  }
  return 'accepted';
};

/** Every element of the document, in document order, as `localName namespace`. */
function names(xml: string): string[] {
  const out: string[] = [];
  const walk = (element: Element) => {
    out.push(`${element.localName} ${element.namespaceURI}`);
    for (let child = element.firstChild; child !== null; child = child.nextSibling)
      if (child.nodeType === child.ELEMENT_NODE) walk(child as Element);
  };
  walk(parse(xml).documentElement!);
  return out;
}

/** The template with `text` put in the RequestID's text, before its value. */
const inRequestId = (text: string) => TEMPLATE.replace('<sr:RequestID>', `<sr:RequestID>${text}`);

describe('the forbidden-character check behind the BMP pattern', () => {
  it.each([
    ['a C0 control', '\u0001', 'U+0001', 6],
    ['U+FFFE', '\uFFFE', 'U+FFFE', 6],
    ['U+FFFF', '\uFFFF', 'U+FFFF', 6],
    ['a lone high surrogate', '\uD800', 'U+D800', 6],
    ['a lone low surrogate', '\uDC00', 'U+DC00', 6],
    ['a high surrogate then a plain letter', '\uDBFFx', 'U+DBFF', 6],
    // columns count UTF-16 units: the pair before it is two
    ['a low surrogate right after a valid pair', '\uD83D\uDE00\uDE00', 'U+DE00', 8],
    ['a valid pair written low half first', '\uDE00\uD83D', 'U+DE00', 6],
  ])('refuses %s, naming it and where it is', (_name, inserted, code, column) => {
    expect(refusal(`<r>ok${inserted}</r>`)).toBe(
      `the character ${code} is not allowed in XML, at line 1, column ${column}`,
    );
    expect(refusal(inRequestId(inserted))).toContain(`the character ${code} is not allowed in XML, at line 4, column`);
  });

  it('accepts characters outside the BMP as pairs, and the last BMP characters allowed', () => {
    const text = '\u{1F600}\u{10000}\u{10FFFF}\uFFFD\uE000\uD7FF\t\r\n';
    const document = parse(`<r>${text}</r>`);
    // CR LF and a lone CR are line ends, read as LF (XML 1.0 2.11)
    expect(document.documentElement!.textContent).toBe('\u{1F600}\u{10000}\u{10FFFF}\uFFFD\uE000\uD7FF\t\n');
  });

  it('finds a forbidden character at the very end of a long document, after a pair that made the pattern fail', () => {
    const xml = `<r>\u{1F600}${'a'.repeat(200_000)}\u0002</r>`;
    expect(refusal(xml)).toBe('the character U+0002 is not allowed in XML, at line 1, column 200006');
  });
});

describe('the end tag compared as one slice', () => {
  it.each([
    ['same length, one letter changed', '<a:bc xmlns:a="u"></a:bd>', 'the end tag </a:bd> does not match <a:bc>'],
    [
      'another prefix bound to the same namespace',
      '<a:b xmlns:a="u" xmlns:z="u"></z:b>',
      'the end tag </z:b> does not match <a:b>',
    ],
    ['the name without its prefix', '<a:b xmlns:a="u"></b>', 'the end tag </b> does not match <a:b>'],
    ['a prefix of the name', '<abc></ab>', 'the end tag </ab> does not match <abc>'],
    ['the name and more', '<ab></abc>', 'the end tag </abc> does not match <ab>'],
    ['the name, then another character for the >', '<ab></ab/>', "'>' expected to end </ab"],
    ['the name at the very end of the text', '<ab></ab', "'>' expected to end </ab"],
  ])('refuses %s', (_name, xml, message) => {
    expect(refusal(xml)).toContain(message);
  });

  it('still takes white space before the > of an end tag', () => {
    expect(names('<a:b xmlns:a="u"><c></c \n\t></a:b >')).toEqual(['b u', 'c null']);
  });
});

describe('the last-prefix memo', () => {
  it('reads a prefix redeclared in a nested scope, and the outer binding again once that scope is closed', () => {
    const xml = '<a:r xmlns:a="u1"><a:x xmlns:a="u2"><a:y/></a:x><a:z/><a:w xmlns:a="u3"/><a:v/></a:r>';
    expect(names(xml)).toEqual(['r u1', 'x u2', 'y u2', 'z u1', 'w u3', 'v u1']);
  });

  it('reads a prefix redeclared in one sibling as the outer binding in the next', () => {
    expect(names('<r xmlns:a="u1"><a:p xmlns:a="u2"/><a:q/><a:s xmlns:a="u2"></a:s><a:t/></r>')).toEqual([
      'r null',
      'p u2',
      'q u1',
      's u2',
      't u1',
    ]);
  });

  it('refuses a prefix used after the only declaration of it went out of scope', () => {
    expect(refusal('<r><a:x xmlns:a="u"/><a:y/></r>')).toContain('the prefix a of a:y is not declared');
    expect(refusal('<r><a:x xmlns:a="u"><a:in/></a:x><a:y/></r>')).toContain('the prefix a of a:y is not declared');
  });

  it('follows the default namespace undeclared with xmlns="" and declared again', () => {
    expect(names('<r xmlns="u1"><c xmlns=""><d/><e xmlns="u2"><f/></e><g/></c><h/></r>')).toEqual([
      'r u1',
      'c null',
      'd null',
      'e u2',
      'f u2',
      'g null',
      'h u1',
    ]);
  });

  it('reads attribute prefixes between element prefixes, and an unprefixed attribute in no namespace', () => {
    const root = parse(
      '<r xmlns="d" xmlns:a="u1" xmlns:b="u2"><a:x b:at="1" plain="2"><y a:at="3"/></a:x></r>',
    ).documentElement!;
    const x = root.firstChild as Element;
    const y = x.firstChild as Element;
    expect(x.attributes.map((a) => `${a.name} ${a.namespaceURI}`)).toEqual(['b:at u2', 'plain null']);
    expect(`${y.localName} ${y.namespaceURI}`).toBe('y d');
    expect(y.attributes.map((a) => `${a.name} ${a.namespaceURI}`)).toEqual(['a:at u1']);
  });
});

describe("the DUIS gateway's answer to each crafted request", () => {
  let gateway: DuisGateway;
  beforeAll(() => {
    gateway = new DuisGateway({
      validator: DuisValidator.load(),
      accessControl: new AccessControl(rtdsRegistrationData(), { slotCheck: 'slot-certificate' }),
      now: () => new Date('2025-06-02T10:00:00.000Z'),
    });
  });

  it('refuses each as malformed XML (E40), and a valid pair in the same place only as schema-invalid (E41)', async () => {
    const malformed = [
      inRequestId('\u0001'),
      inRequestId('\uFFFE'),
      inRequestId('\uD800'),
      inRequestId('\uDC00'),
      inRequestId('\uD83D\uDE00\uDE00'),
      TEMPLATE.replace('</sr:Header>', '</sr:Headex>'),
      TEMPLATE.replace('</sr:Header>', '</ds:Header>'),
      TEMPLATE.replace('</sr:Header>', '</Header>'),
      TEMPLATE.replace('<sr:Header>', '<sr:Header xmlns:sr="">'),
      TEMPLATE.replace('<sr:Header>', '<sr:Header><sr:X xmlns:q="urn:q"/><q:Y/>'),
    ];
    const admissions = await gateway.admitAll([...malformed, inRequestId('\u{1F600}')]);
    const outcomes = admissions.map((a) => (a.ok ? 'admitted' : `${a.code} ${a.kind}`));
    expect(outcomes).toEqual([...malformed.map(() => 'E40 malformed-xml'), 'E41 schema-invalid']);
  });
});
