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
import { MAX_DOCUMENT_BYTES } from './validator';
import { isNamespaceDeclaration } from './dom/nodes';

export interface XmlDocument {
  readonly document: Document;
}

const XML_DECLARATION = /^\uFEFF?<\?xml\s[^<>]*\?>/;

declare const screened: unique symbol;
/** A text screenXmlText passed: parseScreenedXml reads it without screening it again. */
export type ScreenedXml = string & { readonly [screened]: true };

/**
 * What makes a text unfit to parse as DUIS, found without parsing it (so no parser's reading of it matters): too
 * large, a DOCTYPE (with it, entity declarations), or a processing instruction other than the leading XML
 * declaration. A DOCTYPE or `<?` inside a comment is refused too: DUIS has no use for either. Returns the refusal,
 * or the text itself, known screened.
 */
export function screenXmlText(text: string): ScreenedXml | { readonly refusal: string } {
  // a UTF-16 unit is 1 to 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4), so only a text between the two
  // bounds needs its bytes counted
  if (text.length > MAX_DOCUMENT_BYTES / 3 && Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES)
    return { refusal: `document larger than ${MAX_DOCUMENT_BYTES} bytes` };
  const doctype = doctypeAt(text);
  if (doctype >= 0)
    return {
      refusal: `a DOCTYPE is not allowed in a DUIS document (DUIS has none), found at ${positionOf(text, doctype)}`,
    };
  const declaration = XML_DECLARATION.exec(text)?.[0].length ?? 0;
  const instruction = text.indexOf('<?', declaration);
  if (instruction >= 0)
    return {
      refusal: `a processing instruction is not allowed in a DUIS document, found at ${positionOf(text, instruction)}`,
    };
  return text as ScreenedXml;
}

/**
 * Where the first `<!DOCTYPE`, in any case of its ASCII letters, starts in `text`, or -1: found from each `<!` (a
 * request has one, its signature's comment), which a case-insensitive pattern looked for at every character.
 */
function doctypeAt(text: string): number {
  for (let at = text.indexOf('<!'); at >= 0; at = text.indexOf('<!', at + 2)) {
    let i = 0;
    // setting bit 5 lowers an ASCII capital and no other character lands on a lower-case letter by it
    while (i < DOCTYPE.length && (text.charCodeAt(at + 2 + i) | 0x20) === DOCTYPE.charCodeAt(i)) i++;
    if (i === DOCTYPE.length) return at;
  }
  return -1;
}
const DOCTYPE = 'doctype';

/** The text after its leading XML declaration (and byte order mark), if it has one. */
export function withoutXmlDeclaration(text: string): string {
  return text.slice(XML_DECLARATION.exec(text)?.[0].length ?? 0);
}

/** Screens, then parses; anything not well-formed refuses the document, with what and where. */
export function parseXmlDocument(text: string): XmlDocument {
  const screen = screenXmlText(text);
  if (typeof screen !== 'string') throw new DuisInputError(screen.refusal, '/');
  return parseScreenedXml(screen);
}

/**
 * Parses a text the caller has screened (the gateway screens every text of a batch before its schema run, and
 * parses each once after it): anything not well-formed refuses the document, with what and where.
 */
export function parseScreenedXml(text: ScreenedXml): XmlDocument {
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
 * The first element child of `parent` with this local name, in any namespace (the schema has checked the
 * namespaces before anything is read by name): a request's header and body fields, read by path from the tree the
 * gateway parsed. Undefined for no parent.
 */
export function childNamed(parent: Element | undefined, localName: string): Element | undefined {
  if (parent === undefined) return undefined;
  for (let child = parent.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === child.ELEMENT_NODE && child.localName === localName) return child;
  return undefined;
}

/** The element children of `parent` with this local name, in any namespace (childNamed's repeated fields). */
export function childrenNamed(parent: Element | undefined, localName: string): Element[] {
  const out: Element[] = [];
  if (parent === undefined) return out;
  for (let child = parent.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === child.ELEMENT_NODE && child.localName === localName) out.push(child);
  return out;
}

/** The element children of `parent`, in order. */
export function elementChildren(parent: Element): Element[] {
  const out: Element[] = [];
  for (let child = parent.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === child.ELEMENT_NODE) out.push(child);
  return out;
}

/**
 * An element's own text (its text and CDATA children, not its child elements'), trimmed as String.prototype.trim
 * trims: a leaf's value. A leaf's one text node is returned as it is, not copied.
 */
export function ownText(element: Element): string {
  let text = '';
  for (let child = element.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE) text += child.data;
  return text.trim();
}

/** Whether an element is a plain value: no child element and no attribute but namespace declarations. */
export function isLeaf(element: Element): boolean {
  for (const attribute of element.attributes) if (!isNamespaceDeclaration(attribute)) return false;
  for (let child = element.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === child.ELEMENT_NODE) return false;
  return true;
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
