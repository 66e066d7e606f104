/**
 * Response documents are built as the project's DOM (dom/nodes.ts) directly, the one tree the harness reads and the
 * S1SP signs, in exactly the order written here (the schema's xs:sequence order). Qualified names carry their prefix
 * (`sr:`, `ra:`, `ds:`), bound to the DUIS namespaces (namespaces.ts NS), which the root declares. The text is written
 * from that tree by fast-xml-parser's XMLBuilder (preserveOrder), when it is first asked for: the builder escapes the
 * text, and nothing is assembled by string concatenation.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import {
  Attr,
  Comment,
  COMMENT_NODE,
  Document,
  Element,
  ELEMENT_NODE,
  ProcessingInstruction,
  Text,
  TEXT_NODE,
} from './dom/nodes';
import { NS, XMLNS_NAMESPACE } from './namespaces';

/** A node of a built response: an element, its text, or a comment. */
export type XmlNode = Element | Text | Comment;

/** One node of a fast-xml-parser preserveOrder tree: `{ name: children, ':@': attributes }` or `{ '#text': value }`. */
export type OrderedNode = Record<string, unknown>;

const ATTR = '@_';

export function el(
  name: string,
  attributes: Record<string, string | number | boolean> | null,
  ...children: (XmlNode | null | undefined | false)[]
): Element {
  const parts = nameParts(name);
  const element = new Element(parts.namespace, name, parts.prefix, parts.localName);
  if (attributes !== null) {
    for (const key in attributes) {
      const at = key.indexOf(':');
      const prefix = at < 0 ? null : key.slice(0, at);
      const namespace = key === 'xmlns' || prefix === 'xmlns' ? XMLNS_NAMESPACE : namespaceOf(key, at);
      element.attributes.push(new Attr(namespace, key, prefix, key.slice(at + 1), String(attributes[key])));
    }
  }
  for (const child of children) {
    if (!child) continue;
    // appending would move it out of the response it was built for (or throw there, once that one is signed)
    if (child.parentNode !== null) throw new Error(`${name}: its child ${child.nodeName} is already in another tree`);
    element.appendChild(child);
  }
  return element;
}

/** An element with text content. */
export function leaf(
  name: string,
  value: string | number | bigint,
  attributes: Record<string, string | number | boolean> | null = null,
): Element {
  const element = el(name, attributes);
  element.appendChild(new Text(String(value)));
  return element;
}

interface NameParts {
  readonly namespace: string | null;
  readonly prefix: string | null;
  readonly localName: string;
}

/**
 * An element name split at its colon, its prefix's DUIS namespace looked up: once per name, not per element (three
 * strings a built element). The builders use a fixed set of names (their own, the `…Rsp` of the service catalogue,
 * XMLDSig's): past MAX_NAMES anything else is split each time, so no input grows this.
 */
function nameParts(name: string): NameParts {
  let parts = NAMES.get(name);
  if (parts === undefined) {
    const colon = name.indexOf(':');
    parts = {
      namespace: namespaceOf(name, colon),
      prefix: colon < 0 ? null : name.slice(0, colon),
      localName: name.slice(colon + 1),
    };
    if (NAMES.size < MAX_NAMES) NAMES.set(name, parts);
  }
  return parts;
}
const NAMES = new Map<string, NameParts>();
const MAX_NAMES = 512;

/** A comment (used to name the fault in an unsigned error response; schema-neutral). */
export function comment(text: string): Comment {
  // "--" may not appear inside an XML comment. A parser reads CR LF and a lone CR as LF, and a comment cannot
  // escape them: written as LF, the text and the tree it is written from say the same.
  return new Comment(` ${text.replace(/-{2,}/g, '-').replace(/\r\n?/g, '\n')} `);
}

/** The DUIS namespace of a qualified name with its colon at `colon` (none for an unprefixed name). */
function namespaceOf(qualified: string, colon: number): string | null {
  if (colon < 0) return null;
  const prefix = qualified.slice(0, colon);
  const uri = prefix === 'sr' || prefix === 'ra' || prefix === 'ds' ? NS[prefix] : undefined;
  if (uri === undefined) throw new Error(`${qualified}: prefix ${prefix} is not a DUIS namespace prefix`);
  return uri;
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

const XML_DECLARATION: OrderedNode = {
  '?xml': [{ '#text': '' }],
  ':@': { [`${ATTR}version`]: '1.0', [`${ATTR}encoding`]: 'UTF-8' },
};

/**
 * Writes a built response: the XML declaration, then `root`. `opaque`, if given, is written as an empty element of
 * its name wherever it is in the tree (the signed response grafted into an envelope: its own bytes go in after).
 */
export function toXml(root: Element, opaque?: Element): string {
  return writeOrdered(ordered(root, opaque));
}

/** Writes a preserveOrder tree: the XML declaration, then `root`. */
export function writeOrdered(root: OrderedNode): string {
  return builder.build([XML_DECLARATION, root]) as string;
}

/** The preserveOrder tree the builder writes, of a built element (elements, text and comments only). */
function ordered(root: Element, opaque: Element | undefined): OrderedNode {
  const top = shell(root, opaque);
  // explicit stack: the trees are shallow, but no walk here recurses; each node is placed in its parent's list when
  // its parent is read (so in order), and its own list filled when it is popped
  const work: [Element, OrderedNode[]][] = [[root, top.children]];
  while (work.length > 0) {
    const [element, children] = work.pop()!;
    if (element === opaque) continue;
    for (let child = element.firstChild; child !== null; child = child.nextSibling) {
      if (child.nodeType === ELEMENT_NODE) {
        const inner = shell(child, opaque);
        children.push(inner.node);
        work.push([child, inner.children]);
      } else if (child.nodeType === TEXT_NODE) children.push({ '#text': child.data });
      else if (child.nodeType === COMMENT_NODE) children.push({ '#comment': [{ '#text': child.data }] });
      else throw new Error(`a ${child.nodeName} node is not part of a built response`);
    }
  }
  return top.node;
}

/** An element's preserveOrder node, its children still to fill (none, and no attributes, if it is `opaque`). */
function shell(element: Element, opaque: Element | undefined): { node: OrderedNode; children: OrderedNode[] } {
  const children: OrderedNode[] = [];
  const node: OrderedNode = { [element.nodeName]: children };
  if (element.attributes.length > 0 && element !== opaque) {
    const attributes: Record<string, string> = {};
    for (const attribute of element.attributes) attributes[`${ATTR}${attribute.name}`] = attribute.value;
    node[':@'] = attributes;
  }
  return { node, children };
}

/**
 * The document `toXml(root)` writes, as the tree a parse of that text gives: the XML declaration, then `root` itself
 * (moved into the document, not copied: one tree).
 */
export function toDocument(root: Element): Document {
  const document = new Document();
  document.appendChild(new ProcessingInstruction('xml', 'version="1.0" encoding="UTF-8"'));
  document.appendChild(root);
  return document;
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
export function parseToNode(xml: string): OrderedNode {
  const nodes = orderedParser.parse(xml) as OrderedNode[];
  const root = nodes.find((n) => !('#text' in n) && !('#comment' in n) && !('?xml' in n));
  if (root === undefined) throw new Error('no document element');
  return root;
}
