/**
 * Exclusive XML Canonicalization 1.0 without comments (https://www.w3.org/TR/xml-exc-c14n/), no InclusiveNamespaces
 * PrefixList: the one canonical form DUIS signatures use, over the project's DOM (dom/nodes.ts). Written for that profile rather than
 * taken from a general XMLDSig library, so it walks the one tree the gateway parsed (no clone, no XPath) and can
 * leave out the enveloped signature in place.
 *
 * A namespace declaration is written on an element only where it is visibly utilised (the element's own prefix or
 * one of its attributes') and the nearest written ancestor did not already write the same binding; attributes are
 * sorted by namespace URI, then local name; text and attribute values are escaped as the recommendation says (the
 * characters a parser would otherwise normalise: `\r` in text, `\t \n \r` in attributes).
 */
import {
  CDATA_SECTION_NODE as CDATA,
  COMMENT_NODE as COMMENT,
  ELEMENT_NODE as ELEMENT,
  PROCESSING_INSTRUCTION_NODE as PROCESSING_INSTRUCTION,
  TEXT_NODE as TEXT,
  type Attr,
  type Document,
  type Element,
  type Node,
  isNamespaceDeclaration,
} from './dom/nodes';
import { XML_NAMESPACE } from './namespaces';

export class CanonicalizationError extends Error {}

/**
 * The canonical form of `document`'s document element and everything in it, leaving out `omit` and its subtree
 * (the enveloped-signature transform) and comments. A processing instruction other than the XML declaration is an
 * error rather than a guess at where its line breaks go: DUIS has none (the gateway refuses them unread).
 */
export function canonicalDocument(document: Document, omit?: Node): string {
  return canonicalElement(canonicalRoot(document), omit);
}

/**
 * The element whose canonical form is the document's (canonicalDocument), or the error that the document has none.
 * Apart so that a signer can ask it when it signs and canonicalise later (xmlSignature.ts signTree): what is outside
 * the document element is read only here.
 */
export function canonicalRoot(document: Document): Element {
  let root: Element | undefined;
  for (let child = document.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === ELEMENT) root = child;
    else if (child.nodeType === PROCESSING_INSTRUCTION && child.target !== 'xml') {
      throw new CanonicalizationError(`a processing instruction (${child.target}) outside the document element`);
    }
  }
  if (root === undefined) throw new CanonicalizationError('the document has no document element');
  return root;
}

interface Frame {
  readonly element: Element;
  /** Bindings written by this element or its written ancestors: prefix ('' for the default) → namespace URI. */
  readonly inScope: ReadonlyMap<string, string>;
}

/**
 * The canonical form of `apex` as the top of the node-set (its ancestors' declarations are not written, so each
 * binding it uses is declared on it): e.g. SignedInfo inside its Signature. Walks with an explicit stack, so a deep
 * document cannot exhaust the call stack.
 */
export function canonicalElement(apex: Element, omit?: Node): string {
  const out: string[] = [];
  // each entry is either an element to open (with its parent's bindings) or the closing tag to write
  const work: (Frame | string)[] = [{ element: apex, inScope: new Map() }];
  while (work.length > 0) {
    const item = work.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const { element } = item;
    const inScope = openTag(element, item.inScope, out);
    work.push(`</${element.nodeName}>`);
    const children: (Frame | string)[] = [];
    for (let child = element.firstChild; child !== null; child = child.nextSibling) {
      if (child === omit) continue;
      switch (child.nodeType) {
        case ELEMENT:
          children.push({ element: child, inScope });
          break;
        case TEXT:
        case CDATA:
          children.push(escapeText(child.data));
          break;
        case PROCESSING_INSTRUCTION:
          children.push(child.data === '' ? `<?${child.target}?>` : `<?${child.target} ${child.data}?>`);
          break;
        case COMMENT:
          break;
        default:
          throw new CanonicalizationError(
            `node type ${child.nodeType} in ${element.nodeName} has no canonical form here`,
          );
      }
    }
    for (let i = children.length - 1; i >= 0; i--) work.push(children[i]);
  }
  return out.join('');
}

/** Writes `<name ns… attributes…>`; returns the bindings in scope for the children. */
function openTag(
  element: Element,
  parentScope: ReadonlyMap<string, string>,
  out: string[],
): ReadonlyMap<string, string> {
  const utilised = new Map<string, string>();
  utilised.set(element.prefix ?? '', element.namespaceURI ?? '');
  const attributes: Attr[] = [];
  for (const attribute of element.attributes) {
    if (isNamespaceDeclaration(attribute)) continue;
    attributes.push(attribute);
    if (attribute.prefix) utilised.set(attribute.prefix, attribute.namespaceURI ?? '');
  }
  const declarations: [string, string][] = [];
  for (const [prefix, uri] of utilised) {
    if (prefix === 'xml' && uri === XML_NAMESPACE) continue;
    // no default namespace in scope and none written above: nothing to undeclare
    if ((parentScope.get(prefix) ?? (prefix === '' ? '' : undefined)) === uri) continue;
    declarations.push([prefix, uri]);
  }
  let inScope = parentScope;
  out.push(`<${element.nodeName}`);
  if (declarations.length > 0) {
    declarations.sort((a, b) => compare(a[0], b[0]));
    const copy = new Map(parentScope);
    for (const [prefix, uri] of declarations) {
      copy.set(prefix, uri);
      out.push(prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`);
    }
    inScope = copy;
  }
  if (attributes.length > 1)
    attributes.sort((a, b) => compare(a.namespaceURI ?? '', b.namespaceURI ?? '') || compare(a.localName, b.localName));
  for (const attribute of attributes) out.push(` ${attribute.name}="${escapeAttribute(attribute.value)}"`);
  out.push('>');
  return inScope;
}

/** Code-point order, as the recommendation sorts (not locale order). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TEXT_SPECIAL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<"\t\n\r]/g;
const REPLACEMENT: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
const replace = (c: string) => REPLACEMENT[c];

function escapeText(text: string): string {
  return text.replace(TEXT_SPECIAL, replace);
}

function escapeAttribute(value: string): string {
  return value.replace(ATTRIBUTE_SPECIAL, replace);
}
