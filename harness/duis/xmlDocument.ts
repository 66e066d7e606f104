/**
 * The one reading of a DUIS document the gateway acts on: the text is screened before any parser sees it, then
 * parsed once with @xmldom/xmldom; the signature is verified over that tree (xmlSignature.ts) and its header and
 * body are read from it, so the tree whose signature is checked and the tree acted on are the same tree. Two parsers that disagree about where
 * a DOCTYPE ends (xmldom stops at the first `]>`, libxml2 and fast-xml-parser read the internal subset) would
 * otherwise each see a different document in the same bytes; DUIS has no DOCTYPE, so none is read at all.
 */
import { DOMParser } from '@xmldom/xmldom';
import { DuisInputError } from './errors';
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
    return `a DOCTYPE is not allowed in a DUIS document (DUIS has none), found at ${lineOf(text, doctype)}`;
  const declaration = XML_DECLARATION.exec(text)?.[0].length ?? 0;
  const instruction = text.indexOf('<?', declaration);
  if (instruction >= 0)
    return `a processing instruction is not allowed in a DUIS document, found at ${lineOf(text, instruction)}`;
  return undefined;
}

/** The text after its leading XML declaration (and byte order mark), if it has one. */
export function withoutXmlDeclaration(text: string): string {
  return text.slice(XML_DECLARATION.exec(text)?.[0].length ?? 0);
}

/** Screens, then parses; any parser warning or error refuses the document (xmldom would otherwise recover). */
export function parseXmlDocument(text: string): XmlDocument {
  const screened = screenXmlText(text);
  if (screened !== undefined) throw new DuisInputError(screened, '/');
  const problems: string[] = [];
  const record = (message: string) =>
    problems.push(
      message
        .replace(/^\[xmldom \w+\]\t/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  let document: Document;
  try {
    document = new DOMParser({
      locator: {},
      errorHandler: { warning: record, error: record, fatalError: record },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    record(error instanceof Error ? error.message : String(error));
    document = undefined as unknown as Document;
  }
  if (problems.length > 0 || document?.documentElement == null) {
    throw new DuisInputError(`not well-formed XML: ${problems[0] ?? 'no document element'}`, '/');
  }
  const tooDeep = deeperThan(document.documentElement, MAX_ELEMENT_DEPTH);
  if (tooDeep !== undefined) {
    throw new DuisInputError(
      `elements nested deeper than ${MAX_ELEMENT_DEPTH}, found at line ${tooDeep.lineNumber}, column ${tooDeep.columnNumber}`,
      '/',
    );
  }
  return { document };
}

/**
 * libxml2's own default limit. The RTDS templates nest at most 10 levels; the schema lets anything sit in a
 * ds:KeyInfo (lax), and every later reader of the tree (elementTree, xmldom's getElementsByTagNameNS) recurses, so a
 * deeper document would exhaust the call stack instead of being refused.
 */
const MAX_ELEMENT_DEPTH = 256;

/** The first element deeper than `limit` (the document element is depth 1), walked with an explicit stack. */
function deeperThan(
  root: Element,
  limit: number,
): (Element & { lineNumber?: number; columnNumber?: number }) | undefined {
  const stack: [Element, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (depth > limit) return element;
    for (let child = element.firstChild; child !== null; child = child.nextSibling)
      if (child.nodeType === child.ELEMENT_NODE) stack.push([child as Element, depth + 1]);
  }
  return undefined;
}

/**
 * An element as the plain tree requestBodies.ts reads: child elements by local name (an array when repeated),
 * attributes as `@name` (namespace declarations left out), trimmed text as a string, or under `#text` when the
 * element also has attributes. Namespaces are checked by the schema before anything is read this way.
 */
export function elementTree(element: Element): XmlTree | string {
  const tree: XmlTree = {};
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i)!;
    if (attribute.name === 'xmlns' || attribute.prefix === 'xmlns') continue;
    tree[`@${attribute.localName ?? attribute.name}`] = attribute.value;
  }
  let text = '';
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE)
      text += child.nodeValue ?? '';
    if (child.nodeType !== child.ELEMENT_NODE) continue;
    const name = (child as Element).localName ?? child.nodeName;
    const value = elementTree(child as Element);
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

function lineOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
