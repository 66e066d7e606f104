/**
 * Names as the strict parser reads them (harness/duis/dom/parser.ts): an ASCII name is read by a table, anything
 * reaching past ASCII by the XML 1.0 Name pattern, and both must give exactly the Name XML 1.0 2.3 [4]-[5] defines.
 * Expected names and messages are written from the grammar, by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseDom, XmlSyntaxError } from '../../harness/duis/dom/parser';

const root = (xml: string) => parseDom(xml, 256).documentElement;
const failure = (xml: string) => {
  try {
    parseDom(xml, 256);
  } catch (error) {
    if (error instanceof XmlSyntaxError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('names in the strict parser', () => {
  it('reads every ASCII name character after the first: letters, digits, _ - . (and : between prefix and local)', () => {
    const r = root('<_a-b.9Z xmlns:p-1.x="urn:p" x.y-z_0="1" p-1.x:q="2"></_a-b.9Z>');
    expect(r.nodeName).toBe('_a-b.9Z');
    expect(r.attributes.map((a) => [a.name, a.value])).toEqual([
      ['xmlns:p-1.x', 'urn:p'],
      ['x.y-z_0', '1'],
      ['p-1.x:q', '2'],
    ]);
  });

  it('reads a name that goes on past ASCII whole, and one that starts past it', () => {
    const r = root('<aé b·c="1"><éa/><a\u{10000}/></aé>');
    expect(r.nodeName).toBe('aé');
    expect(r.attributes.map((a) => a.name)).toEqual(['b·c']);
    const children = r.getElementsByTagName('*').map((e) => e.nodeName);
    expect(children).toEqual(['éa', 'a\u{10000}']);
  });

  it.each([
    ['<-a/>', "an element name after '<' expected, at line 1, column 2"],
    ['<.a/>', "an element name after '<' expected, at line 1, column 2"],
    ['<9a/>', "an element name after '<' expected, at line 1, column 2"],
    ['< a/>', "an element name after '<' expected, at line 1, column 2"],
    ['<·a/>', "an element name after '<' expected, at line 1, column 2"],
    ['<r -a="1"/>', 'an attribute name in <r expected, at line 1, column 4'],
    ['<a$/>', "whitespace, '>' or '/>' expected in the start tag <a, at line 1, column 3"],
    ['<a></a$>', "'>' expected to end </a, at line 1, column 7"],
    ['<a></', 'an element name after </ expected, at line 1, column 6'],
  ])('%j', (xml, message) => {
    expect(failure(xml)).toBe(message);
  });
});
