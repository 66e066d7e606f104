import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { rtdsTemplates } from '../../harness/bench/rtdsTemplates';
import { Document, ProcessingInstruction } from '../../harness/duis/dom/nodes';
import { parseDom } from '../../harness/duis/dom/parser';
import { canonicalDocument, canonicalElement, CanonicalizationError } from '../../harness/duis/exclusiveC14n';
import { xmlCryptoC14n } from './xmlCryptoOracle';

// the project's parser (no depth limit here: the deep-document case below is about the canonicaliser's walk)
const parse = (xml: string) => parseDom(xml, Infinity);
const c14n = (xml: string) => canonicalDocument(parse(xml));

// Expected forms written by hand from the W3C recommendations (xml-exc-c14n, xml-c14n 1.0 section 3 examples).
describe('exclusive c14n: hand-written vectors', () => {
  it('drops the XML declaration and comments, expands empty elements, keeps whitespace in content', () => {
    expect(
      c14n('<?xml version="1.0" encoding="UTF-8"?>\n<!--a--><r>\n  <e/><!-- c --> <f a="1"></f>\n</r>\n<!--z-->'),
    ).toBe('<r>\n  <e></e> <f a="1"></f>\n</r>');
  });

  it('escapes & < > and CR in text, & < " TAB LF CR in attributes (and leaves > and \' in attributes alone)', () => {
    expect(c14n('<r a="x&amp;&lt;&gt;&quot;\'&#9;&#10;&#13;y">&amp;&lt;&gt;"\'&#13;</r>')).toBe(
      '<r a="x&amp;&lt;>&quot;\'&#x9;&#xA;&#xD;y">&amp;&lt;&gt;"\'&#xD;</r>',
    );
  });

  it('reads CDATA as text and character references as the characters they stand for', () => {
    expect(c14n('<r><![CDATA[a<b&c>]]>&#x41;&#66;</r>')).toBe('<r>a&lt;b&amp;c&gt;AB</r>');
  });

  it('normalises attribute whitespace as a parser does, then escapes what is left', () => {
    expect(c14n('<r a="1\n2\t3"/>')).toBe('<r a="1 2 3"></r>');
  });

  it('sorts attributes: no namespace first, then by namespace URI, then local name; namespaces by prefix, default first', () => {
    expect(c14n('<r xmlns:b="urn:b" xmlns:a="urn:z" xmlns="urn:d" z="1" b:y="2" a:x="3" a="4"/>')).toBe(
      '<r xmlns="urn:d" xmlns:a="urn:z" xmlns:b="urn:b" a="4" z="1" b:y="2" a:x="3"></r>',
    );
  });

  it('writes only the namespaces an element visibly uses, where first used, and not again below', () => {
    const xml =
      '<a:r xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u"><a:x><b:y><b:z/></b:y></a:x><c xmlns:b="urn:other" b:at="1"/></a:r>';
    expect(c14n(xml)).toBe(
      '<a:r xmlns:a="urn:a"><a:x><b:y xmlns:b="urn:b"><b:z></b:z></b:y></a:x><c xmlns:b="urn:other" b:at="1"></c></a:r>',
    );
  });

  it('a sibling subtree declares again what only another subtree declared', () => {
    expect(c14n('<r xmlns:p="urn:p"><p:a/><p:b/></r>')).toBe(
      '<r><p:a xmlns:p="urn:p"></p:a><p:b xmlns:p="urn:p"></p:b></r>',
    );
  });

  it('undeclares the default namespace (xmlns="") only below an element that wrote one', () => {
    expect(c14n('<r xmlns="urn:d"><e xmlns=""><f/></e></r>')).toBe('<r xmlns="urn:d"><e xmlns=""><f></f></e></r>');
    expect(c14n('<p:r xmlns:p="urn:p"><e xmlns=""/></p:r>')).toBe('<p:r xmlns:p="urn:p"><e></e></p:r>');
  });

  it('never declares the xml prefix; xml:* attributes are ordinary attributes, not inherited', () => {
    expect(c14n('<r xml:lang="en"><e/></r>')).toBe('<r xml:lang="en"><e></e></r>');
  });

  it('a subtree as apex declares what it uses from its ancestors (e.g. SignedInfo)', () => {
    const document = parse('<r xmlns:ds="urn:ds" xmlns:x="urn:x"><ds:S><ds:I a="1"><ds:M x:q="2"/></ds:I></ds:S></r>');
    const info = document.getElementsByTagNameNS('urn:ds', 'I')[0];
    expect(canonicalElement(info)).toBe('<ds:I xmlns:ds="urn:ds" a="1"><ds:M xmlns:x="urn:x" x:q="2"></ds:M></ds:I>');
  });

  it('leaves out the omitted subtree (the enveloped signature) and nothing else', () => {
    const document = parse('<r><a/><s><t/></s>tail</r>');
    expect(canonicalDocument(document, document.getElementsByTagName('s')[0])).toBe('<r><a></a>tail</r>');
  });

  // built: the parser refuses every processing instruction but the XML declaration
  const withInstruction = (xml: string, target: string, data: string, inside: boolean) => {
    const document = parse(xml);
    (inside ? document.documentElement : document).appendChild(new ProcessingInstruction(target, data));
    return document;
  };

  it('refuses a processing instruction outside the document element instead of guessing its line breaks', () => {
    const document = withInstruction('<r/>', 'pi', 'x', false);
    expect(() => canonicalDocument(document)).toThrow(CanonicalizationError);
    expect(() => canonicalDocument(document)).toThrow('a processing instruction (pi) outside the document element');
  });

  it('refuses a document without a document element (built, since no parse yields one)', () => {
    expect(() => canonicalDocument(new Document())).toThrow(
      new CanonicalizationError('the document has no document element'),
    );
  });

  it('sorts attributes of one namespace by local name, whatever order they come in', () => {
    expect(c14n('<r e="5" d="4" c="3" b="2" a="1" p:z="7" p:y="6" xmlns:p="urn:p"/>')).toBe(
      '<r xmlns:p="urn:p" a="1" b="2" c="3" d="4" e="5" p:y="6" p:z="7"></r>',
    );
    expect(c14n('<r c="3" a="1" e="5" b="2" d="4" p:y="6" p:z="7" xmlns:p="urn:p"/>')).toBe(
      '<r xmlns:p="urn:p" a="1" b="2" c="3" d="4" e="5" p:y="6" p:z="7"></r>',
    );
  });

  it('puts attributes without a namespace first, even before a namespace URI that sorts early (upper case)', () => {
    expect(c14n('<r xmlns:p="A:p" p:x="1" y="2"/>')).toBe('<r xmlns:p="A:p" y="2" p:x="1"></r>');
    expect(c14n('<r xmlns:p="A:p" y="2" p:x="1"/>')).toBe('<r xmlns:p="A:p" y="2" p:x="1"></r>');
    expect(c14n('<r xmlns:p="A:p" xmlns:q="z:q" q:w="3" y="2" p:x="1" b="0"/>')).toBe(
      '<r xmlns:p="A:p" xmlns:q="z:q" b="0" y="2" p:x="1" q:w="3"></r>',
    );
  });

  it('sorts by local name, not by prefix: two prefixes for one namespace', () => {
    expect(c14n('<r xmlns:p="urn:n" xmlns:q="urn:n" p:b="1" q:a="2"/>')).toBe(
      '<r xmlns:p="urn:n" xmlns:q="urn:n" q:a="2" p:b="1"></r>',
    );
  });

  it('refuses a node it has no canonical form for (a document inside an element, built: no parse yields one)', () => {
    const document = parse('<r/>');
    document.documentElement.appendChild(new Document());
    expect(() => canonicalDocument(document)).toThrow(
      new CanonicalizationError('node type 9 in r has no canonical form here'),
    );
  });

  it('keeps a processing instruction inside the element', () => {
    const document = withInstruction('<r/>', 'pi', 'data', true);
    document.documentElement.appendChild(new ProcessingInstruction('e', ''));
    expect(canonicalDocument(document)).toBe('<r><?pi data?><?e?></r>');
  });

  it('walks a deep document without exhausting the call stack', () => {
    const depth = 20_000;
    const xml = `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;
    expect(c14n(xml)).toBe(`${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`);
  });
});

describe('exclusive c14n agrees with xml-crypto on every DCC RTDS template', () => {
  const templates = rtdsTemplates();

  it(`the document element and every element as apex, ${templates.length} templates`, () => {
    expect(templates.length).toBeGreaterThan(250);
    let elements = 0;
    for (const template of templates) {
      // the project's parse canonicalised by the project; xmldom's parse of the same text by xml-crypto
      const document = parse(template.xml);
      const oracle = new DOMParser().parseFromString(template.xml, 'text/xml');
      expect(canonicalDocument(document), template.name).toBe(xmlCryptoC14n(oracle.documentElement!));
      const all = document.getElementsByTagNameNS('*', '*');
      const oracleAll = oracle.getElementsByTagNameNS('*', '*');
      expect(all.length, template.name).toBe(oracleAll.length);
      for (let i = 0; i < all.length; i++) {
        expect(canonicalElement(all[i]), `${template.name} element ${i}`).toBe(xmlCryptoC14n(oracleAll.item(i)!));
        elements++;
      }
    }
    expect(elements).toBeGreaterThan(5000);
  });
});
