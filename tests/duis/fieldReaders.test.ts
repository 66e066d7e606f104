/**
 * The readers requestBodies.ts and request.ts read a request's fields with, by path from the parsed tree
 * (harness/duis/xmlDocument.ts): children by local name in any namespace, the first of a name, every one of a name,
 * an element's own text trimmed, and whether an element is a plain value. Expectations written out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  childNamed,
  childrenNamed,
  elementChildren,
  isLeaf,
  ownText,
  parseXmlDocument,
} from '../../harness/duis/xmlDocument';

const rootOf = (xml: string) => parseXmlDocument(xml).document.documentElement;

describe('field readers', () => {
  it('children by local name in any namespace: the first, every one, none', () => {
    const root = rootOf('<a><b>1</b><p:b xmlns:p="urn:p">2</p:b><c><d/></c>t<!--x--><s><deep>x</deep></s></a>');
    expect(ownText(childNamed(root, 'b')!)).toBe('1');
    expect(childrenNamed(root, 'b').map(ownText)).toEqual(['1', '2']);
    expect(childNamed(root, 'deep')).toBeUndefined(); // a child, not a descendant
    expect(ownText(childNamed(childNamed(root, 's'), 'deep')!)).toBe('x');
    expect(childNamed(undefined, 'b')).toBeUndefined();
    expect(childrenNamed(undefined, 'b')).toEqual([]);
    expect(elementChildren(root).map((e) => e.localName)).toEqual(['b', 'b', 'c', 's']);
  });

  it("an element's own text: text and CDATA, not its children's, trimmed as String.prototype.trim trims", () => {
    expect(ownText(rootOf('<a xmlns="urn:a"> t <![CDATA[u]]> </a>'))).toBe('t u');
    expect(ownText(rootOf('<a/>'))).toBe('');
    expect(ownText(rootOf('<a>\n  <b>1</b>\n  t\n  <c/>\n  u  </a>'))).toBe('t\n  \n  u');
    expect(ownText(rootOf('<a>t<b>no</b>\n <c/>u</a>'))).toBe('t\n u');
    expect(ownText(rootOf('<a>\u00A0<b/>x</a>'))).toBe('x');
    expect(ownText(rootOf('<a>A&#x33;</a>'))).toBe('A3');
  });

  it('a leaf has no child element and no attribute but namespace declarations', () => {
    expect(isLeaf(rootOf('<a xmlns="urn:a" xmlns:p="urn:p"> t </a>'))).toBe(true);
    expect(isLeaf(rootOf('<a><!--c--></a>'))).toBe(true);
    expect(isLeaf(rootOf('<a y="2">t</a>'))).toBe(false);
    expect(isLeaf(rootOf('<a xmlns:p="urn:p" p:y="2"/>'))).toBe(false);
    expect(isLeaf(rootOf('<a><b/></a>'))).toBe(false);
  });

  it("children named after Object's own properties are children like any other", () => {
    const root = rootOf('<a><constructor>1</constructor><__proto__>2</__proto__><__proto__>3</__proto__></a>');
    expect(ownText(childNamed(root, 'constructor')!)).toBe('1');
    expect(childrenNamed(root, '__proto__').map(ownText)).toEqual(['2', '3']);
  });
});
