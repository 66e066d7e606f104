import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { XMLBuilder } from 'fast-xml-parser';
import { Random, seedRandom } from '../../common/random';
import { serialise } from '../../harness/duis/dom/serialiser';
import { comment, el, leaf, toDocument, toXml } from '../../harness/duis/xmlTree';

// Responses are built as the DOM directly and written by fast-xml-parser's XMLBuilder. The text must be what the
// builder writes for the same document described as its own preserveOrder tree (written out by hand here, as the
// builders described responses before), and the tree must be what a parser reads from that text: the signer signs
// the one, a verifier parses the other. xmldom, a general parser and serialiser, is the independent reading.
const parsed = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml').toString();
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  commentPropName: '#comment',
  suppressEmptyNode: true,
  format: false,
  processEntities: true,
  suppressBooleanAttributes: false,
});
const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const RA = 'http://www.dccinterface.co.uk/ResponseAndAlert';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const declaration = { '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } };
const byBuilder = (root: Record<string, unknown>) => builder.build([declaration, root]) as string;

describe('built responses: one tree, written as XMLBuilder writes it', () => {
  const AWKWARD = `a & b < c > d "q" 's' \r\n\t ]]> --`;
  const build = (text: string) =>
    el(
      'sr:Response',
      { 'xmlns:sr': SR, 'xmlns:ra': RA, 'xmlns:ds': DS, schemaVersion: '5.4' },
      comment('a note'),
      leaf('sr:RequestID', text),
      el('ra:Rsp', { MessageSuccess: true, Position: 3, Note: text }, leaf('ra:Value', 'é €'), null, false),
      el('ds:Empty', null),
      leaf('ra:Blank', ''),
    );
  const described = (text: string) => ({
    'sr:Response': [
      { '#comment': [{ '#text': ' a note ' }] },
      { 'sr:RequestID': [{ '#text': text }] },
      {
        'ra:Rsp': [{ 'ra:Value': [{ '#text': 'é €' }] }],
        ':@': { '@_MessageSuccess': 'true', '@_Position': '3', '@_Note': text },
      },
      { 'ds:Empty': [] },
      { 'ra:Blank': [{ '#text': '' }] },
    ],
    ':@': { '@_xmlns:sr': SR, '@_xmlns:ra': RA, '@_xmlns:ds': DS, '@_schemaVersion': '5.4' },
  });

  it('writes the bytes the builder writes for the same document, awkward text included', () => {
    expect(toXml(build(AWKWARD))).toBe(byBuilder(described(AWKWARD)));
  });

  it('the same for random text of every kind: controls, quotes, markup, CR, non-ASCII (seeded)', () => {
    const random = new Random(seedRandom(16));
    const alphabet = [
      '&',
      '<',
      '>',
      '"',
      "'",
      '\r',
      '\n',
      '\t',
      '\x01',
      '\x1f',
      ' ',
      'a',
      'Z',
      '0',
      ';',
      '#',
      'é',
      '€',
      '𝄞',
      ']]>',
      '--',
      '&amp;',
    ];
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: random.int(0, 24) }, () => alphabet[random.int(0, alphabet.length - 1)]).join(
        '',
      );
      expect(toXml(build(text)), JSON.stringify(text)).toBe(byBuilder(described(text)));
    }
  });

  it('is the tree a parse of its text gives: namespaces, attributes in order, escaped text, comments', () => {
    // (a parser normalises whitespace in attribute values and drops an empty text node; no response holds either)
    const text = AWKWARD.replace(/[\r\n\t]/g, '');
    const tree = () =>
      el(
        'sr:Response',
        { 'xmlns:sr': SR, 'xmlns:ra': RA, 'xmlns:ds': DS, schemaVersion: '5.4' },
        comment('a note'),
        leaf('sr:RequestID', AWKWARD.replace(/\r\n?/g, '\n')),
        el('ra:Rsp', { MessageSuccess: true, Note: text }, leaf('ra:Value', 'é €')),
        el('ds:Empty', null),
      );
    const document = toDocument(tree());
    expect(serialise(document)).toBe(parsed(toXml(tree())));
    expect(document.documentElement.namespaceURI).toBe(SR);
    expect(document.getElementsByTagNameNS(RA, 'Value')[0].textContent).toBe('é €');
    expect(document.getElementsByTagNameNS(DS, 'Empty')).toHaveLength(1);
    expect(document.getElementsByTagNameNS(RA, 'Rsp')[0].getAttribute('Note')).toBe(text);
  });

  it('refuses a prefix that is not a DUIS namespace prefix, and a node already in another tree', () => {
    expect(() => el('a:root', null)).toThrow('a:root: prefix a is not a DUIS namespace prefix');
    expect(() => el('sr:x', { 'b:y': 1 })).toThrow('b:y: prefix b is not a DUIS namespace prefix');
    const shared = leaf('ra:Value', 1);
    el('ra:One', null, shared);
    expect(() => el('ra:Two', null, shared)).toThrow('ra:Two: its child ra:Value is already in another tree');
  });

  it('writes a grafted element as the empty slot it took (opaque)', () => {
    const inner = el('sr:SMETS1SignedResponse', { 'xmlns:sr': SR }, leaf('sr:Inside', 'x'));
    const envelope = el('sr:Response', { 'xmlns:sr': SR }, el('sr:Body', null, inner));
    expect(toXml(envelope, inner)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><sr:Response xmlns:sr="${SR}"><sr:Body><sr:SMETS1SignedResponse/></sr:Body></sr:Response>`,
    );
  });
});
