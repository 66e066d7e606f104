/**
 * The project's strict DUIS parser and serialiser (harness/duis/dom/), held against hand-written expectations from
 * XML 1.0 and Namespaces in XML 1.0, and against @xmldom/xmldom (the parser the harness used before, a general
 * implementation) as a differential oracle: on every RTDS template and on seeded random documents the two read the
 * same tree and write the same bytes; on seeded damaged templates, whatever the project's parser accepts the old
 * strict reading (xmldom, refusing on any warning) accepted as the same tree.
 */
import { readFileSync } from 'node:fs';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rtdsTemplates } from '../../harness/bench/rtdsTemplates';
import { Element as ElementNode, type Document, type Element, type Node } from '../../harness/duis/dom/nodes';
import { parseDom, XmlSyntaxError } from '../../harness/duis/dom/parser';
import { serialise } from '../../harness/duis/dom/serialiser';
import { parseXmlDocument } from '../../harness/duis/xmlDocument';

const parse = (xml: string) => parseDom(xml, 256);
const root = (xml: string) => parse(xml).documentElement;
const failure = (xml: string) => {
  try {
    parse(xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError) return error.message;
    throw error;
  }
  return 'accepted';
};

/** The old strict reading: xmldom, any warning or error refusing the document. */
function xmldomStrict(xml: string): globalThis.Document | undefined {
  let problem = false;
  const record = () => {
    problem = true;
  };
  try {
    const document = new DOMParser({
      errorHandler: { warning: record, error: record, fatalError: record },
    }).parseFromString(xml, 'text/xml');
    return problem || document.documentElement === null ? undefined : document;
  } catch {
    return undefined;
  }
}

/**
 * A tree as plain data, read through the DOM properties both implementations have: node type, names, namespace,
 * attributes (name, namespace, value) in order, character data. Document-level whitespace is left out.
 */
type Either = Node | globalThis.Node;
function dump(node: Either): unknown {
  const out: unknown[] = [];
  for (let child = node.firstChild as Either | null; child !== null; child = child.nextSibling as Either | null) {
    if (node.nodeType === 9 && child.nodeType === 3) continue;
    if (child.nodeType === 1) {
      const element = child as Element | globalThis.Element;
      const attributes = element.attributes as unknown as ArrayLike<Attr>;
      out.push({
        name: element.nodeName,
        namespace: element.namespaceURI,
        prefix: element.prefix,
        localName: element.localName,
        attributes: Array.from({ length: attributes.length }, (_, i) => {
          const a = attributes[i];
          // xmldom leaves an unprefixed attribute's namespace undefined rather than null
          return [a.name, a.namespaceURI ?? null, a.prefix, a.localName, a.value];
        }),
        children: dump(child),
      });
    } else out.push([child.nodeType, child.nodeName, child.nodeValue]);
  }
  return out;
}

describe('the strict parser reads what XML 1.0 says (hand-written expectations)', () => {
  it('resolves prefixes and the default namespace; unprefixed attributes have none; xml: is bound without declaration', () => {
    const r = root('<a:r xmlns:a="urn:a" xmlns="urn:d" x="1" a:y="2" xml:lang="en"><e/><a:f xmlns=""><g/></a:f></a:r>');
    expect([r.namespaceURI, r.prefix, r.localName, r.nodeName]).toEqual(['urn:a', 'a', 'r', 'a:r']);
    expect(r.attributes.map((a) => [a.name, a.namespaceURI, a.prefix, a.localName, a.value])).toEqual([
      ['xmlns:a', 'http://www.w3.org/2000/xmlns/', 'xmlns', 'a', 'urn:a'],
      ['xmlns', 'http://www.w3.org/2000/xmlns/', null, 'xmlns', 'urn:d'],
      ['x', null, null, 'x', '1'],
      ['a:y', 'urn:a', 'a', 'y', '2'],
      ['xml:lang', 'http://www.w3.org/XML/1998/namespace', 'xml', 'lang', 'en'],
    ]);
    const [e, f] = [r.getElementsByTagName('e')[0], r.getElementsByTagName('a:f')[0]];
    expect([e.namespaceURI, f.namespaceURI, f.getElementsByTagName('g')[0].namespaceURI]).toEqual([
      'urn:d',
      'urn:a',
      null,
    ]);
  });

  it('a declaration is in scope only inside its element: a sibling redeclares, or fails', () => {
    const r = root('<r><p:a xmlns:p="urn:1"/><p:b xmlns:p="urn:2"><p:c/></p:b></r>');
    expect(r.getElementsByTagNameNS('*', '*').map((e) => e.namespaceURI)).toEqual(['urn:1', 'urn:2', 'urn:2']);
    expect(failure('<r><p:a xmlns:p="urn:1"/><p:b/></r>')).toBe(
      'the prefix p of p:b is not declared, at line 1, column 26',
    );
  });

  it('a prefix redeclared inside an element is bound again to the outer namespace once that element closes', () => {
    const r = root('<r><p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c/></p:b><p:d/></p:a></r>');
    expect(r.getElementsByTagNameNS('*', '*').map((e) => [e.localName, e.namespaceURI])).toEqual([
      ['a', 'urn:1'],
      ['b', 'urn:2'],
      ['c', 'urn:2'],
      ['d', 'urn:1'],
    ]);
    const d = root('<a xmlns="urn:1"><b xmlns=""><c/></b><d/><e xmlns="urn:2"/><f/></a>');
    expect(d.getElementsByTagNameNS('*', '*').map((e) => [e.localName, e.namespaceURI])).toEqual([
      ['b', null],
      ['c', null],
      ['d', 'urn:1'],
      ['e', 'urn:2'],
      ['f', 'urn:1'],
    ]);
  });

  it('accepts every character XML allows, outside the BMP (a surrogate pair) too, and an end tag written with space', () => {
    expect(root('<r>\t\u{10000}\u{10FFFF}\uE000\uFFFD\uD7FF\u0085</r >').textContent).toBe(
      '\t\u{10000}\u{10FFFF}\uE000\uFFFD\uD7FF\u0085',
    );
  });

  it('expands the five entities and character references, in text and attributes', () => {
    const r = root(
      '<r a="&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;">&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;</r>',
    );
    expect(r.getAttribute('a')).toBe(`<>&'"AB\u{1F600}`);
    expect(r.textContent).toBe(`<>&'"AB\u{1F600}`);
  });

  it('normalises line ends everywhere (CR LF and CR to LF), and literal whitespace in attributes to spaces, references kept', () => {
    const r = root('<r a="1\r\n2\t3\n4&#9;5&#10;6&#13;7">x\r\ny\rz<![CDATA[c\r\nd]]><!--m\r\nn--></r>');
    expect(r.getAttribute('a')).toBe('1 2 3 4\t5\n6\r7');
    expect(r.textContent).toBe('x\ny\nzc\nd');
    expect(r.lastChild!.nodeValue).toBe('m\nn');
  });

  it('keeps CDATA sections as nodes of their own (none for an empty one), comments and text between them', () => {
    const r = root('<r>a<![CDATA[<b>&amp;]]>c<![CDATA[]]><!-- d -->e</r>');
    const children: [number, string | null][] = [];
    for (let c = r.firstChild; c !== null; c = c.nextSibling) children.push([c.nodeType, c.nodeValue]);
    expect(children).toEqual([
      [3, 'a'],
      [4, '<b>&amp;'],
      [3, 'c'],
      [8, ' d '],
      [3, 'e'],
    ]);
  });

  it('keeps the XML declaration as the instruction xml, and the whitespace and comments around the document element', () => {
    const document = parse('<?xml version="1.0"  encoding="UTF-8" ?>\n<!-- c -->\n<a>x</a>\n<!--d-->\n');
    const children: [number, string, string | null][] = [];
    for (let c = document.firstChild; c !== null; c = c.nextSibling)
      children.push([c.nodeType, c.nodeName, c.nodeValue]);
    expect(children).toEqual([
      [7, 'xml', 'version="1.0"  encoding="UTF-8" '],
      [3, '#text', '\n'],
      [8, '#comment', ' c '],
      [3, '#text', '\n'],
      [1, 'a', null],
      [3, '#text', '\n'],
      [8, '#comment', 'd'],
    ]);
  });
});

describe('the strict parser refuses what is not well-formed, naming what and where', () => {
  it.each([
    ['<r a="1" a="2"/>', 'the attribute a appears twice in <r>, at line 1, column 10'],
    [
      '<r xmlns:p="urn:x" xmlns:q="urn:x" p:a="1" q:a="2"/>',
      'the attribute q:a of <r> appears twice by namespace, at line 1, column 44',
    ],
    ['<p:r/>', 'the prefix p of p:r is not declared, at line 1, column 1'],
    ['<r p:a="1"/>', 'the prefix p of p:a is not declared, at line 1, column 4'],
    ['<r>\n  <a>\n</r>', 'the end tag </r> does not match <a> (line 2, column 3), at line 3, column 1'],
    ['<r><a>', 'the element a is not closed, at line 1, column 4'],
    ['<r>a]]>b</r>', "']]>' in text (it may only end a CDATA section), at line 1, column 5"],
    ['<r a="<"/>', "'<' in the value of a, at line 1, column 7"],
    ['<r a=1/>', 'the value of a must be quoted, at line 1, column 6'],
    ['<r a="1"b="2"/>', "whitespace, '>' or '/>' expected in the start tag <r, at line 1, column 9"],
    ['<r>&nbsp;</r>', 'the entity &nbsp; is not declared (a DUIS document has no DTD), at line 1, column 4'],
    ['<r>a & b</r>', "'&' that starts no reference (write &amp;), at line 1, column 6"],
    ['<r>&#0;</r>', 'the character reference &#0; is to a character XML does not allow, at line 1, column 4'],
    ['<r>&#xD800;</r>', 'the character reference &#xD800; is to a character XML does not allow, at line 1, column 4'],
    ['<r>&#x;</r>', "'&#x;' is not a character reference, at line 1, column 4"],
    ['<r>\u0001</r>', 'the character U+0001 is not allowed in XML, at line 1, column 4'],
    ['<r>ab\u001F</r>', 'the character U+001F is not allowed in XML, at line 1, column 6'],
    ['<r>\uD800</r>', 'the character U+D800 is not allowed in XML, at line 1, column 4'],
    ['<r>a\uDC00</r>', 'the character U+DC00 is not allowed in XML, at line 1, column 5'],
    ['<r>\u{1F600}\uD83D</r>', 'the character U+D83D is not allowed in XML, at line 1, column 6'],
    ['<r>\uFFFE</r>', 'the character U+FFFE is not allowed in XML, at line 1, column 4'],
    ['<r a="\uFFFF"/>', 'the character U+FFFF is not allowed in XML, at line 1, column 7'],
    ['<ab></ac>', 'the end tag </ac> does not match <ab> (line 1, column 1), at line 1, column 5'],
    ['<abc></ab>', 'the end tag </ab> does not match <abc> (line 1, column 1), at line 1, column 6'],
    [
      '<r xmlns:p="urn:p"><p:a></p:b></r>',
      'the end tag </p:b> does not match <p:a> (line 1, column 20), at line 1, column 25',
    ],
    ['<r/><s/>', 'a second document element <s>, at line 1, column 5'],
    ['<r/>x', 'text after the document element, at line 1, column 5'],
    ['x<r/>', 'text before the document element, at line 1, column 1'],
    ['plain text', 'no document element, at line 1, column 1'],
    ['', 'no document element, at line 1, column 1'],
    ['<!DOCTYPE r><r/>', 'a DOCTYPE is not allowed in a DUIS document, at line 1, column 1'],
    [
      '<r><?pi x?></r>',
      'a processing instruction is not allowed in a DUIS document (only the leading XML declaration), at line 1, column 4',
    ],
    [
      '<?xml encoding="UTF-8"?><r/>',
      'a malformed XML declaration (version, then optional encoding and standalone, expected), at line 1, column 1',
    ],
    ['<r xmlns:p=""/>', 'xmlns:p may not be empty (a prefix cannot be undeclared in XML 1.0), at line 1, column 4'],
    [
      '<r xmlns:xml="urn:x"/>',
      'the prefix xml and the namespace http://www.w3.org/XML/1998/namespace belong only to each other, at line 1, column 4',
    ],
    ['<r xmlns:xmlns="urn:x"/>', 'the prefix xmlns may not be declared, at line 1, column 4'],
    [
      '<r xmlns:p="http://www.w3.org/2000/xmlns/"/>',
      'the namespace http://www.w3.org/2000/xmlns/ may not be declared, at line 1, column 4',
    ],
    ['<r xmlns:a:b="urn:x"/>', 'xmlns:a:b is not a qualified name (prefix:local), at line 1, column 4'],
    ['<p:1a xmlns:p="urn:p"/>', 'p:1a is not a qualified name (prefix:local), at line 1, column 2'],
    ['<r xmlns:p="urn:p" p:-a="1"/>', 'p:-a is not a qualified name (prefix:local), at line 1, column 20'],
    ['<r xmlns:p="urn:p" p:·a="1"/>', 'p:·a is not a qualified name (prefix:local), at line 1, column 20'],
    ['<r><!-- a -- b --></r>', "'--' inside a comment, at line 1, column 11"],
    ['<r><!-- a ---></r>', "a comment may not end with '--->', at line 1, column 11"],
    ['<r><!-- a </r>', 'a comment is not closed, at line 1, column 4'],
    ['<r><![CDATA[a</r>', 'a CDATA section is not closed, at line 1, column 4'],
    ['<![CDATA[a]]><r/>', 'a CDATA section outside the document element, at line 1, column 1'],
    ['<r a="1', 'the value of a is not closed, at line 1, column 6'],
    ['<r', 'the start tag <r is not closed, at line 1, column 1'],
    ['</r>', 'the end tag </r> closes no element, at line 1, column 1'],
    ['<1/>', "an element name after '<' expected, at line 1, column 2"],
  ])('%j', (xml, message) => {
    expect(failure(xml)).toBe(message);
  });

  it('refuses an element deeper than the limit as its start tag is read, without recursion', () => {
    expect(() => parseDom('<a>'.repeat(5), 4)).toThrow(
      new XmlSyntaxError('elements nested deeper than 4', 'line 1, column 13', true),
    );
    expect(parseDom(`${'<a>'.repeat(4)}${'</a>'.repeat(4)}`, 4).getElementsByTagName('a')).toHaveLength(4);
    // a million open elements: refused at the 257th, in a few milliseconds, with no stack to exhaust
    expect(() => parseXmlDocument('<a>'.repeat(1_000_000))).toThrow(
      '/: elements nested deeper than 256, found at line 1, column 769',
    );
  });

  it('stays linear on hostile shapes: many attributes, many declarations, a long name', () => {
    const attributes = Array.from({ length: 50_000 }, (_, i) => ` a${i}="${i}"`).join('');
    expect(root(`<r${attributes}/>`).attributes).toHaveLength(50_000);
    expect(failure(`<r${attributes} a49999="x"/>`)).toMatch(/^the attribute a49999 appears twice in <r>/);
    const prefixed = Array.from({ length: 50_000 }, (_, i) => ` xmlns:p${i}="urn:${i}" p${i}:a="1"`).join('');
    expect(root(`<r${prefixed}/>`).attributes).toHaveLength(100_000);
    const deepDeclarations = `${'<a xmlns:p="urn:p">'.repeat(255)}${'<p:b/>'.repeat(50_000)}${'</a>'.repeat(255)}`;
    expect(root(deepDeclarations).getElementsByTagNameNS('urn:p', 'b')).toHaveLength(50_000);
    expect(failure(`<${'n'.repeat(100_000)}>`)).toBe(
      `the element ${'n'.repeat(40)}… is not closed, at line 1, column 1`,
    );
  });
});

describe('the DOM operations the harness uses', () => {
  it('textContent replaces the children with one text node, none for the empty string (serialised empty)', () => {
    const document = parse('<r><a>x<b/>y</a><c>z</c></r>');
    const [a, c] = [document.getElementsByTagName('a')[0], document.getElementsByTagName('c')[0]];
    a.textContent = '<&>';
    c.textContent = '';
    expect(serialise(document)).toBe('<r><a>&lt;&amp;&gt;</a><c/></r>');
    expect(c.firstChild).toBeNull();
  });

  it('replaceChild moves the replacement out of its own tree into the slot', () => {
    const envelope = parse('<r><a/><slot/><b/></r>');
    const signed = parse('<s><t/></s>');
    const slot = envelope.getElementsByTagName('slot')[0];
    slot.parentNode!.replaceChild(signed.documentElement, slot);
    expect(serialise(envelope)).toBe('<r><a/><s><t/></s><b/></r>');
    expect(slot.parentNode).toBeNull();
    expect(signed.firstChild).toBeNull();
    expect(() => signed.documentElement).toThrow('the document has no document element yet');
  });

  it("declares a built element's namespace where nothing above binds it, and that declaration covers its subtree only", () => {
    // built, not parsed: no element carries a declaration of its own, so the serialiser must add each one
    const [x, y] = ['urn:x', 'urn:y'];
    const r = new ElementNode(null, 'r', null, 'r');
    const a = r.appendChild(new ElementNode(x, 'x:a', 'x', 'a'));
    a.appendChild(new ElementNode(x, 'x:c', 'x', 'c'));
    a.appendChild(new ElementNode(y, 'x:d', 'x', 'd'));
    r.appendChild(new ElementNode(x, 'x:b', 'x', 'b'));
    expect(serialise(r)).toBe('<r><x:a xmlns:x="urn:x"><x:c/><x:d xmlns:x="urn:y"/></x:a><x:b xmlns:x="urn:x"/></r>');
  });

  it('finds elements by namespace and local name, either a wildcard, in document order', () => {
    const r = root('<r xmlns:p="urn:p"><p:a n="1"><b n="2"><p:a n="3"/></b></p:a><p:b n="4"/></r>');
    const ns = (list: { getAttribute(n: string): string | null }[]) => list.map((e) => e.getAttribute('n'));
    expect(ns(r.getElementsByTagNameNS('urn:p', 'a'))).toEqual(['1', '3']);
    expect(ns(r.getElementsByTagNameNS('*', 'b'))).toEqual(['2', '4']);
    expect(ns(r.getElementsByTagNameNS('urn:p', '*'))).toEqual(['1', '3', '4']);
    expect(ns(r.getElementsByTagNameNS(null, '*'))).toEqual(['2']);
  });
});

describe('the strict parser and serialiser against xmldom (differential)', () => {
  const templates = rtdsTemplates();

  it(`every RTDS template: the same tree, written back byte for byte as xmldom wrote it (${templates.length})`, () => {
    expect(templates.length).toBeGreaterThan(250);
    for (const { name, xml } of templates) {
      const oracle = new DOMParser().parseFromString(xml, 'text/xml');
      const document = parse(xml);
      expect(dump(document), name).toEqual(dump(oracle));
      expect(serialise(document), name).toBe(new XMLSerializer().serializeToString(oracle));
    }
  });

  it('the signed response fixtures: the same tree and bytes', () => {
    for (const fixture of ['03-smets1-I0-8.11-UpdateHANDeviceLogRsp.xml', '09-smets1-device-alert-8F48.xml']) {
      const xml = readFileSync(new URL(`../fixtures/duis/${fixture}`, import.meta.url), 'utf8');
      const oracle = new DOMParser().parseFromString(xml, 'text/xml');
      expect(dump(parse(xml)), fixture).toEqual(dump(oracle));
      expect(serialise(parse(xml)), fixture).toBe(new XMLSerializer().serializeToString(oracle));
    }
  });

  /** Random well-formed documents over what DUIS text can hold: namespaces, entities, references, CDATA, comments, CR. */
  const text = fc
    .array(
      fc.constantFrom(
        'a',
        'Z',
        ' ',
        '\t',
        '\n',
        '\r\n',
        '\r',
        'é',
        '€',
        '\u{1F600}',
        '&amp;',
        '&lt;',
        '&gt;',
        '&quot;',
        '&apos;',
        '&#65;',
        '&#x9;',
        '&#13;',
        '>',
        '"',
        "'",
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(''));
  const name = fc.constantFrom('a', 'b', 'x-y', 'z.1', '_u', 'é');
  const prefix = fc.constantFrom(null, 'p', 'q');
  type Tree = {
    prefix: string | null;
    name: string;
    declare: boolean;
    attributes: [string | null, string, string][];
    children: (Tree | string)[];
  };
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree; child: Tree | string }>((tie) => ({
    node: fc.record({
      prefix,
      name,
      declare: fc.boolean(),
      attributes: fc.uniqueArray(fc.tuple(prefix, name, text), { maxLength: 3, selector: ([p, n]) => `${p}:${n}` }),
      children: fc.array(tie('child'), { maxLength: 4 }),
    }),
    child: fc.oneof(
      { depthSize: 'small' },
      text,
      text.map((t) => `<![CDATA[${t.replace(/&/g, '')}]]>`),
      text.map((t) => `<!--${t.replace(/[&-]/g, '')}-->`),
      tie('node'),
    ),
  })).node;
  const write = (node: Tree, declared: boolean): string => {
    // the root declares both prefixes (to one namespace, so attributes never clash by namespace); a child may again
    const declarations = !declared || node.declare ? ' xmlns:p="urn:p" xmlns:q="urn:q" xmlns="urn:d"' : '';
    const qualified = (p: string | null, n: string) => (p === null ? n : `${p}:${n}`);
    const attributes = node.attributes
      .map(([p, n, v]) => ` ${qualified(p, n)}="${v.replace(/"/g, '&quot;')}"`)
      .join('');
    const children = node.children.map((c) => (typeof c === 'string' ? c : write(c, true))).join('');
    const tag = qualified(node.prefix, node.name);
    return children === ''
      ? `<${tag}${declarations}${attributes}/>`
      : `<${tag}${declarations}${attributes}>${children}</${tag}>`;
  };

  it('300 seeded random documents: the same tree and bytes', () => {
    const documents = fc.sample(
      fc
        .tuple(tree, fc.boolean())
        .map(
          ([t, declaration]) => `${declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}${write(t, false)}`,
        ),
      { seed: 1604, numRuns: 300 },
    );
    for (const xml of documents) {
      const oracle = xmldomStrict(xml);
      expect(oracle, xml).toBeDefined();
      expect(dump(parse(xml)), xml).toEqual(dump(oracle!));
      expect(serialise(parse(xml)), xml).toBe(new XMLSerializer().serializeToString(oracle!));
    }
  });

  it('400 seeded damaged templates: whatever the parser accepts, xmldom read strictly accepted as the same tree', () => {
    const sources = templates.slice(0, 40).map((t) => t.xml);
    const damaged = fc
      .record({
        source: fc.nat({ max: sources.length - 1 }),
        kind: fc.constantFrom('replace', 'delete', 'repeat'),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 30 }),
        char: fc.constantFrom('<', '>', '&', '"', "'", '/', ':', '-', '=', ']', '!', ' ', '\r', 'x', '\u00e9'),
      })
      .map(({ source, kind, at, length, char }) => {
        const xml = sources[source];
        const i = at % xml.length;
        if (kind === 'replace') return xml.slice(0, i) + char + xml.slice(i + 1);
        if (kind === 'delete') return xml.slice(0, i) + xml.slice(i + length);
        return xml.slice(0, i + length) + xml.slice(i, i + length) + xml.slice(i + length);
      });
    let accepted = 0;
    let refused = 0;
    for (const xml of fc.sample(damaged, { seed: 16, numRuns: 400 })) {
      let document: Document;
      try {
        document = parse(xml);
      } catch (error) {
        expect(error, xml).toBeInstanceOf(XmlSyntaxError);
        expect((error as Error).message, xml).toMatch(/, at line \d+, column \d+$/);
        refused++;
        continue;
      }
      accepted++;
      const oracle = xmldomStrict(xml);
      expect(oracle, xml).toBeDefined();
      expect(dump(document), xml).toEqual(dump(oracle!));
    }
    // both outcomes are exercised
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });
});
