import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { serialise } from '../../harness/duis/dom/serialiser';
import { comment, el, leaf, toDocument, toXml } from '../../harness/duis/xmlTree';

// The tree toDocument builds must be the tree a parser reads from toXml's text: the signer signs the one, a
// verifier parses the other. xmldom, a general parser and serialiser, is the independent reading.
const parsed = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml').toString();

describe('toDocument', () => {
  it('is the tree a parse of toXml gives: namespaces, attributes in order, escaped text, comments', () => {
    const tree = el(
      'a:root',
      { 'xmlns:a': 'urn:a', 'xmlns:b': 'urn:b', version: '5.4' },
      leaf('a:x', `a & b < c > d "q" 's'`),
      el('b:y', { z: 1, y: true }, leaf('b:w', 'é €')),
      comment('a note'),
      el('plain', { xmlns: 'urn:d' }, leaf('inner', 'default namespace')),
      el('a:empty', null),
    );
    const document = toDocument(tree);
    expect(serialise(document)).toBe(parsed(toXml(tree)));
    expect(document.documentElement.namespaceURI).toBe('urn:a');
    const inner = document.getElementsByTagName('inner')[0];
    expect(inner.namespaceURI).toBe('urn:d');
    expect(document.getElementsByTagNameNS('urn:b', 'w')[0].textContent).toBe('é €');
  });

  it('refuses a prefix the tree does not declare', () => {
    expect(() => toDocument(el('a:root', null))).toThrow('a:root: prefix a is not declared');
  });
});
