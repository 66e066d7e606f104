/**
 * Response documents are built as ordered trees and serialised by fast-xml-parser's XMLBuilder (preserveOrder), so
 * element order is exactly the order written here (the schema's xs:sequence order), text is escaped by the builder,
 * and nothing is assembled by string concatenation. Qualified names carry their prefix (`sr:`, `ra:`, `ds:`); the
 * root declares the namespaces.
 */
import { DOMImplementation } from '@xmldom/xmldom';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { XMLNS_NAMESPACE } from './namespaces';

/** One node of a preserveOrder tree: `{ name: children, ':@': attributes }` or `{ '#text': value }`. */
export type XmlNode = Record<string, unknown>;

const ATTR = '@_';

export function el(
  name: string,
  attributes: Record<string, string | number | boolean> | null,
  ...children: (XmlNode | null | undefined | false)[]
): XmlNode {
  const node: XmlNode = { [name]: children.filter((c): c is XmlNode => Boolean(c)) };
  if (attributes !== null) {
    const attrs = Object.entries(attributes);
    if (attrs.length > 0) node[':@'] = Object.fromEntries(attrs.map(([k, v]) => [`${ATTR}${k}`, String(v)]));
  }
  return node;
}

/** An element with text content. */
export function leaf(
  name: string,
  value: string | number | bigint,
  attributes: Record<string, string | number | boolean> | null = null,
): XmlNode {
  const node = el(name, attributes);
  (node[name] as XmlNode[]).push({ '#text': String(value) });
  return node;
}

/** A comment (used to name the fault in an unsigned error response; schema-neutral). */
export function comment(text: string): XmlNode {
  // "--" may not appear inside an XML comment. A parser reads CR LF and a lone CR as LF, and a comment cannot
  // escape them: written as LF, the text and the tree it was written from (toDocument) say the same.
  return { '#comment': [{ '#text': ` ${text.replace(/-{2,}/g, '-').replace(/\r\n?/g, '\n')} ` }] };
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  commentPropName: '#comment',
  suppressEmptyNode: true,
  format: false,
  processEntities: true,
  suppressBooleanAttributes: false,
});

const XML_DECLARATION: XmlNode = {
  '?xml': [{ '#text': '' }],
  ':@': { [`${ATTR}version`]: '1.0', [`${ATTR}encoding`]: 'UTF-8' },
};

/** Serialises a document: the XML declaration, then `root`. */
export function toXml(root: XmlNode, withDeclaration = true): string {
  return builder.build(withDeclaration ? [XML_DECLARATION, root] : [root]) as string;
}

/**
 * The document `toXml(root)` writes, as the xmldom tree a parse of that text gives (the XML declaration, then
 * `root`), built directly: a document the S1SP signs is needed as a tree, and building it as text only to parse it
 * again cost a parse per response. Prefixes resolve through the `xmlns:*` attributes of the tree, as a parser's would.
 */
export function toDocument(root: XmlNode): Document {
  const document = new DOMImplementation().createDocument(null, null as unknown as string, null);
  document.appendChild(document.createProcessingInstruction('xml', 'version="1.0" encoding="UTF-8"'));
  appendNode(document, document, root, new Map());
  return document;
}

function appendNode(document: Document, parent: Node, node: XmlNode, parentScope: ReadonlyMap<string, string>): void {
  if ('#text' in node) {
    parent.appendChild(document.createTextNode(String(node['#text'])));
    return;
  }
  if ('#comment' in node) {
    parent.appendChild(document.createComment((node['#comment'] as XmlNode[]).map((t) => String(t['#text'])).join('')));
    return;
  }
  const name = Object.keys(node).find((k) => k !== ':@')!;
  const attributes = Object.entries((node[':@'] ?? {}) as Record<string, string>).map(
    ([k, v]) => [k.slice(ATTR.length), v] as const,
  );
  const declared = attributes.filter(([a]) => a === 'xmlns' || a.startsWith('xmlns:'));
  const scope =
    declared.length === 0
      ? parentScope
      : new Map([...parentScope, ...declared.map(([a, v]) => [a === 'xmlns' ? '' : a.slice(6), v] as const)]);
  const namespaceOf = (qualified: string, forElement: boolean): string | null => {
    const colon = qualified.indexOf(':');
    if (colon < 0) return forElement ? (scope.get('') ?? null) : null;
    const uri = scope.get(qualified.slice(0, colon));
    if (uri === undefined) throw new Error(`${qualified}: prefix ${qualified.slice(0, colon)} is not declared`);
    return uri;
  };
  const element = document.createElementNS(namespaceOf(name, true), name);
  for (const [attribute, value] of attributes) {
    if (attribute === 'xmlns' || attribute.startsWith('xmlns:'))
      element.setAttributeNS(XMLNS_NAMESPACE, attribute, value);
    else element.setAttributeNS(namespaceOf(attribute, false), attribute, value);
  }
  parent.appendChild(element);
  for (const child of node[name] as XmlNode[]) appendNode(document, element, child, scope);
}

const orderedParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: true,
  commentPropName: '#comment',
});

/** The document element of `xml` as a tree node (withoutSignature: a template with its placeholder signature cut). */
export function parseToNode(xml: string): XmlNode {
  const nodes = orderedParser.parse(xml) as XmlNode[];
  const root = nodes.find((n) => !('#text' in n) && !('#comment' in n) && !('?xml' in n));
  if (root === undefined) throw new Error('no document element');
  return root;
}
