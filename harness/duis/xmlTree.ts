/**
 * Response documents are built as ordered trees and serialised by fast-xml-parser's XMLBuilder (preserveOrder), so
 * element order is exactly the order written here (the schema's xs:sequence order), text is escaped by the builder,
 * and nothing is assembled by string concatenation. Qualified names carry their prefix (`sr:`, `ra:`, `ds:`); the
 * root declares the namespaces.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { Attr, Comment, Document, Element, ProcessingInstruction, Text, type ParentNode } from './dom/nodes';
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
 * The document `toXml(root)` writes, as the tree a parse of that text gives (the XML declaration, then `root`),
 * built directly: a document the S1SP signs is needed as a tree, and building it as text only to parse it again cost
 * a parse per response. Prefixes resolve through the `xmlns:*` attributes of the tree, as a parser's would.
 */
export function toDocument(root: XmlNode): Document {
  const document = new Document();
  document.appendChild(new ProcessingInstruction('xml', 'version="1.0" encoding="UTF-8"'));
  // explicit stack: the trees are shallow, but no walk here recurses
  const work: [ParentNode, XmlNode, ReadonlyMap<string, string>][] = [[document, root, new Map()]];
  while (work.length > 0) {
    const [parent, node, scope] = work.pop()!;
    const appended = appendNode(parent, node, scope);
    if (appended === undefined) continue;
    const children = node[appended.nodeName] as XmlNode[];
    for (let i = children.length - 1; i >= 0; i--) work.push([appended.element, children[i], appended.scope]);
  }
  return document;
}

/** Appends `node` to `parent`; for an element, returns it with the bindings in scope inside it. */
function appendNode(parent: ParentNode, node: XmlNode, parentScope: ReadonlyMap<string, string>) {
  if ('#text' in node) {
    parent.appendChild(new Text(String(node['#text'])));
    return undefined;
  }
  if ('#comment' in node) {
    parent.appendChild(new Comment((node['#comment'] as XmlNode[]).map((t) => String(t['#text'])).join('')));
    return undefined;
  }
  let nodeName = '';
  for (const key in node) if (key !== ':@') nodeName = key;
  const attributes = node[':@'] as Record<string, string> | undefined;
  let scope = parentScope;
  if (attributes !== undefined) {
    for (const key in attributes) {
      const attribute = key.slice(ATTR.length);
      if (attribute !== 'xmlns' && !attribute.startsWith('xmlns:')) continue;
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(attribute === 'xmlns' ? '' : attribute.slice(6), attributes[key]);
    }
  }
  const colon = nodeName.indexOf(':');
  const element = new Element(
    colon < 0 ? scope.get('') || null : namespaceOf(nodeName, colon, scope),
    nodeName,
    colon < 0 ? null : nodeName.slice(0, colon),
    nodeName.slice(colon + 1),
  );
  if (attributes !== undefined) {
    for (const key in attributes) {
      const name = key.slice(ATTR.length);
      const at = name.indexOf(':');
      const prefix = at < 0 ? null : name.slice(0, at);
      const namespace = name === 'xmlns' || prefix === 'xmlns' ? XMLNS_NAMESPACE : namespaceOf(name, at, scope);
      element.attributes.push(new Attr(namespace, name, prefix, name.slice(at + 1), attributes[key]));
    }
  }
  parent.appendChild(element);
  return { element, nodeName, scope };
}

/** The namespace of a qualified name with its colon at `colon` (none for an unprefixed attribute). */
function namespaceOf(qualified: string, colon: number, scope: ReadonlyMap<string, string>): string | null {
  if (colon < 0) return null;
  const uri = scope.get(qualified.slice(0, colon));
  if (uri === undefined) throw new Error(`${qualified}: prefix ${qualified.slice(0, colon)} is not declared`);
  return uri;
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
