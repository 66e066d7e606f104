/**
 * The plain tree requestBodies.ts reads (harness/duis/xmlDocument.ts elementTree), written out by hand from its
 * contract: attributes as `@name` without namespace declarations, children by local name (an array when repeated),
 * trimmed text as a string, or under `#text` beside attributes.
 */
import { describe, expect, it } from 'vitest';
import { elementTree, parseXmlDocument } from '../../harness/duis/xmlDocument';

const treeOf = (xml: string) => elementTree(parseXmlDocument(xml).document.documentElement);

describe('elementTree', () => {
  it('an element with attributes only is a tree of them; with text beside them, the text is #text', () => {
    expect(treeOf('<a xmlns="urn:a" xmlns:p="urn:p" p:x="1" y="2"/>')).toEqual({ '@x': '1', '@y': '2' });
    expect(treeOf('<a y="2"> t </a>')).toEqual({ '@y': '2', '#text': 't' });
  });

  it('an element with neither children nor attributes is its trimmed text, empty when it has none', () => {
    expect(treeOf('<a xmlns="urn:a"> t <![CDATA[u]]> </a>')).toBe('t u');
    expect(treeOf('<a/>')).toBe('');
  });

  it('children by local name, repeated ones as an array', () => {
    expect(treeOf('<a><b>1</b><p:b xmlns:p="urn:p">2</p:b><c><d/></c><s><deep>x</deep></s></a>')).toEqual({
      b: ['1', '2'],
      c: { d: '' },
      s: { deep: 'x' },
    });
  });

  it('text beside child elements: the indentation around them goes, whitespace between two pieces of text stays', () => {
    expect(treeOf('<a>\n  <b>1</b>\n  t\n  <c/>\n  u  </a>')).toEqual({ b: '1', c: '', '#text': 't\n  \n  u' });
    expect(treeOf('<a>t<b/>\n <c/>u</a>')).toEqual({ b: '', c: '', '#text': 't\n u' });
    expect(treeOf('<a>\n\t<b/>\r\n<c/>\n</a>')).toEqual({ b: '', c: '' });
    // trimmed as String.prototype.trim trims: a leading no-break space goes too, though XML does not call it space
    expect(treeOf('<a>\u00A0<b/>x</a>')).toEqual({ b: '', '#text': 'x' });
  });

  it("children named after Object's own properties are children like any other", () => {
    const tree = treeOf('<a><constructor>1</constructor><__proto__>2</__proto__><__proto__>3</__proto__></a>');
    expect(Object.getPrototypeOf(tree)).toBe(Object.prototype);
    expect(Object.keys(tree as object)).toEqual(['constructor', '__proto__']);
    expect((tree as Record<string, unknown>).constructor).toBe('1');
    expect(Object.getOwnPropertyDescriptor(tree, '__proto__')?.value).toEqual(['2', '3']);
  });
});
