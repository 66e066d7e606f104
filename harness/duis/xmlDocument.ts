/**
 * The one reading of a DUIS document the gateway acts on: the text is screened before any parser sees it, then
 * parsed once, strictly, into the project's DOM (dom/parser.ts); the signature is verified over that tree
 * (xmlSignature.ts) and its header and body are read from it, so the tree whose signature is checked and the tree
 * acted on are the same tree. Two parsers that disagree about where a DOCTYPE ends (one stopping at the first `]>`,
 * libxml2 and fast-xml-parser reading the internal subset) would otherwise each see a different document in the
 * same bytes; DUIS has no DOCTYPE, so none is read at all.
 */
import { DuisInputError } from './errors';
import type { Document, Element } from './dom/nodes';
import { parseDom, positionOf, XmlSyntaxError } from './dom/parser';
import type { XmlTree } from './requestBodies';
import { MAX_DOCUMENT_BYTES } from './validator';

export interface XmlDocument {
  readonly document: Document;
}

const XML_DECLARATION = /^\uFEFF?<\?xml\s[^<>]*\?>/;

/**
 * What makes a text unfit to parse as DUIS, found without parsing it (so no parser's reading of it matters): too
 * large, a DOCTYPE (with it, entity declarations), or a processing instruction other than the leading XML
 * declaration. A DOCTYPE or `<?` inside a comment is refused too: DUIS has no use for either.
 */
export function screenXmlText(text: string): string | undefined {
  if (Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES) return `document larger than ${MAX_DOCUMENT_BYTES} bytes`;
  const doctype = text.search(/<!DOCTYPE/i);
  if (doctype >= 0)
    return `a DOCTYPE is not allowed in a DUIS document (DUIS has none), found at ${positionOf(text, doctype)}`;
  const declaration = XML_DECLARATION.exec(text)?.[0].length ?? 0;
  const instruction = text.indexOf('<?', declaration);
  if (instruction >= 0)
    return `a processing instruction is not allowed in a DUIS document, found at ${positionOf(text, instruction)}`;
  return undefined;
}

/** The text after its leading XML declaration (and byte order mark), if it has one. */
export function withoutXmlDeclaration(text: string): string {
  return text.slice(XML_DECLARATION.exec(text)?.[0].length ?? 0);
}

/** Screens, then parses; anything not well-formed refuses the document, with what and where. */
export function parseXmlDocument(text: string): XmlDocument {
  const screened = screenXmlText(text);
  if (screened !== undefined) throw new DuisInputError(screened, '/');
  try {
    return { document: parseDom(text, MAX_ELEMENT_DEPTH) };
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    // nesting is a limit of this reader, not a fault of the XML: said as such
    throw new DuisInputError(
      error.tooDeep
        ? `${error.problem}, found at ${error.position}`
        : `not well-formed XML: ${error.problem}, at ${error.position}`,
      '/',
    );
  }
}

/**
 * libxml2's own default limit. The RTDS templates nest at most 10 levels; the schema lets anything sit in a
 * ds:KeyInfo (lax). The parser refuses a deeper element as it reads its start tag, so no later reader of the tree
 * ever meets one.
 */
const MAX_ELEMENT_DEPTH = 256;

/**
 * An element as the plain tree requestBodies.ts reads: child elements by local name (an array when repeated),
 * attributes as `@name` (namespace declarations left out), trimmed text as a string, or under `#text` when the
 * element also has attributes. Namespaces are checked by the schema before anything is read this way. A child of
 * `element` itself named `unread` is only noted as there (an empty string), its subtree not walked: a request's
 * ds:Signature, of which parseDuisRequest reads nothing but that it is there.
 */
export function elementTree(element: Element, unread?: string): XmlTree | string {
  const tree: XmlTree = {};
  for (const attribute of element.attributes) {
    if (attribute.name === 'xmlns' || attribute.prefix === 'xmlns') continue;
    tree[`@${attribute.localName}`] = attribute.value;
  }
  let text = '';
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE)
      text += child.nodeValue ?? '';
    if (child.nodeType !== child.ELEMENT_NODE) continue;
    const name = (child as Element).localName;
    const value = name === unread ? '' : elementTree(child as Element);
    const existing = tree[name];
    if (existing === undefined) tree[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else tree[name] = [existing, value];
  }
  const trimmed = text.trim();
  if (Object.keys(tree).length === 0) return trimmed;
  if (trimmed !== '') tree['#text'] = trimmed;
  return tree;
}

/** The element children of `element` with this namespace and local name. */
export function childElements(element: Element, namespace: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (
      child.nodeType === child.ELEMENT_NODE &&
      (child as Element).namespaceURI === namespace &&
      (child as Element).localName === localName
    )
      out.push(child as Element);
  }
  return out;
}
