/**
 * Response documents are built as ordered trees and serialised by fast-xml-parser's XMLBuilder (preserveOrder), so
 * element order is exactly the order written here (the schema's xs:sequence order), text is escaped by the builder,
 * and nothing is assembled by string concatenation. Qualified names carry their prefix (`sr:`, `ra:`, `ds:`); the
 * root declares the namespaces.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** One node of a preserveOrder tree: `{ name: children, ':@': attributes }` or `{ '#text': value }`. */
export type XmlNode = Record<string, unknown>;

const ATTR = '@_';

export function el(name: string, attributes: Record<string, string | number | boolean> | null, ...children: (XmlNode | null | undefined | false)[]): XmlNode {
  const node: XmlNode = { [name]: children.filter((c): c is XmlNode => Boolean(c)) };
  if (attributes !== null) {
    const attrs = Object.entries(attributes);
    if (attrs.length > 0) node[':@'] = Object.fromEntries(attrs.map(([k, v]) => [`${ATTR}${k}`, String(v)]));
  }
  return node;
}

/** An element with text content. */
export function leaf(name: string, value: string | number | bigint, attributes: Record<string, string | number | boolean> | null = null): XmlNode {
  const node = el(name, attributes);
  (node[name] as XmlNode[]).push({ '#text': String(value) });
  return node;
}

/** A comment (used to name the fault in an unsigned error response; schema-neutral). */
export function comment(text: string): XmlNode {
  // "--" may not appear inside an XML comment
  return { '#comment': [{ '#text': ` ${text.replace(/-{2,}/g, '-')} ` }] };
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

const XML_DECLARATION: XmlNode = { '?xml': [{ '#text': '' }], ':@': { [`${ATTR}version`]: '1.0', [`${ATTR}encoding`]: 'UTF-8' } };

/** Serialises a document: the XML declaration, then `root`. */
export function toXml(root: XmlNode, withDeclaration = true): string {
  return builder.build(withDeclaration ? [XML_DECLARATION, root] : [root]) as string;
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
