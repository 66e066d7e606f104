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

/** The text written so far: one per call, so a serialise inside another (none today) could not mix them. */
interface Output {
  text: string;
}

/** The document, a subtree or a single leaf as text. */
export function serialise(node: Node): string {
  if (node.nodeType === ELEMENT_NODE) return writeElement(node, { text: '' }).text;
  if (node.nodeType !== DOCUMENT_NODE) return leaf(node);
  const out: Output = { text: '' };
  for (let child = node.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === ELEMENT_NODE) writeElement(child, out);
    else out.text += leaf(child);
  return out.text;
}

/**
 * `root` and everything below it, walking the nodes' own links down and back up (no work list, no recursion: a
 * deep tree cannot exhaust the stack, and nothing is allocated per node but the text). `scopes` holds the bindings
 * visible to each open element's parent, restored when it closes.
 */
function writeElement(root: Element, out: Output): Output {
  const scopes: (readonly Binding[])[] = [];
  let bindings: readonly Binding[] = NO_BINDINGS;
  let node: Node = root;
  for (;;) {
    if (node.nodeType === ELEMENT_NODE) {
      const inner = openTag(node, bindings, out);
      if (node.firstChild !== null) {
        out.text += '>';
        scopes.push(bindings);
        bindings = inner;
        node = node.firstChild;
        continue;
      }
      out.text += '/>';
    } else out.text += leaf(node);
    // on to the next sibling, closing each element this node was the last of
    for (;;) {
      if (node === root) return out;
      if (node.nextSibling !== null) {
        node = node.nextSibling;
        break;
      }
      node = node.parentNode as Element;
      out.text += `</${node.nodeName}>`;
      bindings = scopes.pop()!;
    }
  }
}

const NO_BINDINGS: readonly Binding[] = [];

function leaf(node: Exclude<Node, Element>): string {
  switch (node.nodeType) {
    case TEXT_NODE:
      return escapedText(node.data);
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
function openTag(element: Element, parent: readonly Binding[], out: Output): readonly Binding[] {
  out.text += `<${element.nodeName}`;
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

function writeDeclaration(prefix: string, namespace: string, out: Output): void {
  writeAttribute(prefix === '' ? 'xmlns' : `xmlns:${prefix}`, namespace, out);
}

function writeAttribute(name: string, value: string, out: Output): void {
  out.text += ` ${name}="${ATTRIBUTE_SPECIAL.test(value) ? value.replace(ALL_ATTRIBUTE_SPECIAL, escape) : value}"`;
}

/** Text data as a text node of it is written: what templateElements.ts writes into a cut template, too. */
export function escapedText(data: string): string {
  return TEXT_SPECIAL.test(data) ? data.replace(ALL_TEXT_SPECIAL, escape) : data;
}

// each pattern twice: without `g` to ask whether a value has anything to escape (most have not), with it to replace
// (a `g` pattern's test reads and writes its lastIndex)
const TEXT_SPECIAL = /[<&>]/;
const ALL_TEXT_SPECIAL = /[<&>]/g;
const ATTRIBUTE_SPECIAL = /[<>&"\t\n\r]/;
const ALL_ATTRIBUTE_SPECIAL = /[<>&"\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' };
const escape = (c: string) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`;
