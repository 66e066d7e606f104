/**
 * Writes a DOM tree (nodes.ts) back as text, exactly as @xmldom/xmldom's XMLSerializer wrote it, because the bytes
 * are what was signed and what the golden run compares: attributes in the order held, `"` quotes, `<a/>` for an
 * element without children, text escaping `& < >` (a CR in text written as it is: the signer turns it into a
 * reference), attribute values escaping `& < > "` and TAB, LF, CR as decimal references, comments and the XML
 * declaration as held, and a namespace declaration added only where an element's or attribute's namespace is not
 * already bound to its prefix (a built element whose namespace nobody declared). Iterative, like every walk here.
 */
import { XML_NAMESPACE, XMLNS_NAMESPACE } from '../namespaces';
import {
  CDATA_SECTION_NODE,
  COMMENT_NODE,
  DOCUMENT_NODE,
  ELEMENT_NODE,
  PROCESSING_INSTRUCTION_NODE,
  TEXT_NODE,
  type Attr,
  type Element,
  type Node,
} from './nodes';

/** A binding visible to an element: the serialiser's own record of what it has written so far above. */
interface Binding {
  readonly prefix: string;
  readonly namespace: string;
}

interface Open {
  readonly element: Element;
  readonly bindings: readonly Binding[];
}

type Work = Open | Exclude<Node, Element> | string;

/** The document, a subtree or a single leaf as text. */
export function serialise(node: Node): string {
  if (node.nodeType !== ELEMENT_NODE && node.nodeType !== DOCUMENT_NODE) return leaf(node);
  const out: string[] = [];
  // an element still to write, a leaf, or (a string) the closing tag to write when an element's children are done
  const work: Work[] = [];
  if (node.nodeType === ELEMENT_NODE) work.push({ element: node, bindings: [] });
  else pushChildren(work, node.firstChild, []);
  while (work.length > 0) {
    const item = work.pop()!;
    if (typeof item === 'string') out.push(item);
    else if ('element' in item) {
      const bindings = openTag(item.element, item.bindings, out);
      if (item.element.firstChild === null) out.push('/>');
      else {
        out.push('>');
        work.push(`</${item.element.nodeName}>`);
        pushChildren(work, item.element.firstChild, bindings);
      }
    } else out.push(leaf(item));
  }
  return out.join('');
}

/** Pushes `first` and its siblings so that `first` is popped first. */
function pushChildren(work: Work[], first: Node | null, bindings: readonly Binding[]): void {
  const from = work.length;
  for (let child = first; child !== null; child = child.nextSibling)
    work.push(child.nodeType === ELEMENT_NODE ? { element: child, bindings } : child);
  work.push(...work.splice(from).reverse());
}

function leaf(node: Exclude<Node, Element>): string {
  switch (node.nodeType) {
    case TEXT_NODE:
      return node.data.replace(TEXT_SPECIAL, escape);
    case CDATA_SECTION_NODE:
      return `<![CDATA[${node.data.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
    case COMMENT_NODE:
      return `<!--${node.data}-->`;
    case PROCESSING_INSTRUCTION_NODE:
      return `<?${node.target} ${node.data}?>`;
    default:
      throw new Error(`a ${node.nodeName} node cannot be serialised here`);
  }
}

/** Writes `<name attributes…` (without its `>`); returns the bindings visible to the children. */
function openTag(element: Element, parent: readonly Binding[], out: string[]): readonly Binding[] {
  out.push('<', element.nodeName);
  // copied only when this element binds something
  let bindings: Binding[] | undefined;
  for (const attribute of element.attributes) {
    if (attribute.prefix === 'xmlns')
      (bindings ??= [...parent]).push({ prefix: attribute.localName, namespace: attribute.value });
    else if (attribute.name === 'xmlns') (bindings ??= [...parent]).push({ prefix: '', namespace: attribute.value });
  }
  for (const attribute of element.attributes) {
    if (undeclared(attribute, bindings ?? parent)) {
      writeDeclaration(attribute.prefix ?? '', attribute.namespaceURI!, out);
      (bindings ??= [...parent]).push({ prefix: attribute.prefix ?? '', namespace: attribute.namespaceURI! });
    }
    writeAttribute(attribute.name, attribute.value, out);
  }
  if (undeclared(element, bindings ?? parent)) {
    writeDeclaration(element.prefix ?? '', element.namespaceURI!, out);
    (bindings ??= [...parent]).push({ prefix: element.prefix ?? '', namespace: element.namespaceURI! });
  }
  return bindings ?? parent;
}

/** Whether writing this name needs a declaration of its namespace first (xmldom's needNamespaceDefine). */
function undeclared(node: Element | Attr, bindings: readonly Binding[]): boolean {
  const namespace = node.namespaceURI;
  if (!namespace) return false;
  const prefix = node.prefix ?? '';
  if ((prefix === 'xml' && namespace === XML_NAMESPACE) || namespace === XMLNS_NAMESPACE) return false;
  for (let i = bindings.length - 1; i >= 0; i--)
    if (bindings[i].prefix === prefix) return bindings[i].namespace !== namespace;
  return true;
}

function writeDeclaration(prefix: string, namespace: string, out: string[]): void {
  writeAttribute(prefix === '' ? 'xmlns' : `xmlns:${prefix}`, namespace, out);
}

function writeAttribute(name: string, value: string, out: string[]): void {
  out.push(' ', name, '="', value.replace(ATTRIBUTE_SPECIAL, escape), '"');
}

const TEXT_SPECIAL = /[<&>]/g;
const ATTRIBUTE_SPECIAL = /[<>&"\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' };
const escape = (c: string) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`;
