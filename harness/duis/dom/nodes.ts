/**
 * The project's own DOM for DUIS documents: exactly the part of the W3C DOM interface the harness reads and writes
 * (node types, siblings, namespaced elements and attributes, text content, the few mutations the signer, the tree
 * builder and the template writer make), as plain classes. @xmldom/xmldom did this job and was a fifth of a
 * migration's CPU, mostly in building and collecting its general-purpose nodes; this one has nothing the harness
 * does not use. Names follow the W3C DOM so a reader reads like one. Every walk is iterative, so no tree, however
 * deep, exhausts the call stack.
 *
 * Fields are declared (`declare`) and set in the constructors, and the per-class constants (nodeType, nodeName) are
 * getters on the prototype: as class fields (ES2022 define semantics) every node paid a defineProperty per field,
 * a few per cent of a migration when thousands of nodes are built per second.
 */

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;
export const PROCESSING_INSTRUCTION_NODE = 7;
export const COMMENT_NODE = 8;
const DOCUMENT_NODE = 9;

export type NodeType =
  | typeof ELEMENT_NODE
  | typeof TEXT_NODE
  | typeof CDATA_SECTION_NODE
  | typeof PROCESSING_INSTRUCTION_NODE
  | typeof COMMENT_NODE
  | typeof DOCUMENT_NODE;

export abstract class Node {
  abstract readonly nodeType: NodeType;
  abstract readonly nodeName: string;
  declare parentNode: ParentNode | null;
  declare previousSibling: Node | null;
  declare nextSibling: Node | null;
  /** Always null on a node that cannot have children, so a walk need not ask which kind it holds. */
  declare firstChild: Node | null;
  declare lastChild: Node | null;
  declare readonly ELEMENT_NODE: typeof ELEMENT_NODE;
  declare readonly TEXT_NODE: typeof TEXT_NODE;
  declare readonly CDATA_SECTION_NODE: typeof CDATA_SECTION_NODE;
  declare readonly PROCESSING_INSTRUCTION_NODE: typeof PROCESSING_INSTRUCTION_NODE;
  declare readonly COMMENT_NODE: typeof COMMENT_NODE;
  declare readonly DOCUMENT_NODE: typeof DOCUMENT_NODE;

  constructor() {
    this.parentNode = null;
    this.previousSibling = null;
    this.nextSibling = null;
    this.firstChild = null;
    this.lastChild = null;
  }

  /** The character data of a text, CDATA, comment or processing-instruction node; null for the others. */
  get nodeValue(): string | null {
    return null;
  }
}

// the W3C constants on every node as well (`child.nodeType === child.ELEMENT_NODE`), shared on the prototype
Object.assign(Node.prototype, {
  ELEMENT_NODE,
  TEXT_NODE,
  CDATA_SECTION_NODE,
  PROCESSING_INSTRUCTION_NODE,
  COMMENT_NODE,
  DOCUMENT_NODE,
});

abstract class CharacterData extends Node {
  declare data: string;

  constructor(data: string) {
    super();
    this.data = data;
  }
  override get nodeValue(): string {
    return this.data;
  }
}

export class Text extends CharacterData {
  get nodeType(): typeof TEXT_NODE {
    return TEXT_NODE;
  }
  get nodeName(): string {
    return '#text';
  }
}

export class CDATASection extends CharacterData {
  get nodeType(): typeof CDATA_SECTION_NODE {
    return CDATA_SECTION_NODE;
  }
  get nodeName(): string {
    return '#cdata-section';
  }
}

export class Comment extends CharacterData {
  get nodeType(): typeof COMMENT_NODE {
    return COMMENT_NODE;
  }
  get nodeName(): string {
    return '#comment';
  }
}

export class ProcessingInstruction extends CharacterData {
  declare readonly target: string;

  constructor(target: string, data: string) {
    super(data);
    this.target = target;
  }
  get nodeType(): typeof PROCESSING_INSTRUCTION_NODE {
    return PROCESSING_INSTRUCTION_NODE;
  }
  get nodeName(): string {
    return this.target;
  }
}

/** A node that holds children: an element or a document. */
export abstract class ParentNode extends Node {
  /** Appends `child`, first taking it out of wherever it was; returns it. */
  appendChild<T extends Node>(child: T): T {
    detach(child);
    child.parentNode = this;
    child.previousSibling = this.lastChild;
    if (this.lastChild === null) this.firstChild = child;
    else this.lastChild.nextSibling = child;
    this.lastChild = child;
    return child;
  }

  removeChild<T extends Node>(child: T): T {
    if (child.parentNode !== this) throw new Error(`${child.nodeName} is not a child of ${this.nodeName}`);
    detach(child);
    return child;
  }

  /** Puts `replacement` (taken out of wherever it was) where `old` is; returns `old`, now detached. */
  replaceChild<T extends Node>(replacement: Node, old: T): T {
    if (old.parentNode !== this) throw new Error(`${old.nodeName} is not a child of ${this.nodeName}`);
    if (replacement === old) return old;
    detach(replacement);
    replacement.parentNode = this;
    replacement.previousSibling = old.previousSibling;
    replacement.nextSibling = old.nextSibling;
    if (old.previousSibling === null) this.firstChild = replacement;
    else old.previousSibling.nextSibling = replacement;
    if (old.nextSibling === null) this.lastChild = replacement;
    else old.nextSibling.previousSibling = replacement;
    old.parentNode = null;
    old.previousSibling = null;
    old.nextSibling = null;
    return old;
  }

  /** The descendant elements in document order whose namespace and local name match (`*` matches any). */
  getElementsByTagNameNS(namespace: string | null, localName: string): Element[] {
    return this.descendants(
      (element) =>
        (namespace === '*' || element.namespaceURI === namespace) &&
        (localName === '*' || element.localName === localName),
    );
  }

  /** The descendant elements in document order with this qualified name (`*` matches any). */
  getElementsByTagName(qualifiedName: string): Element[] {
    return this.descendants((element) => qualifiedName === '*' || element.nodeName === qualifiedName);
  }

  private descendants(match: (element: Element) => boolean): Element[] {
    const found: Element[] = [];
    let node: Node | null = this.firstChild;
    while (node !== null) {
      if (node instanceof Element) {
        if (match(node)) found.push(node);
        if (node.firstChild !== null) {
          node = node.firstChild;
          continue;
        }
      }
      node = following(node, this);
    }
    return found;
  }
}

/** The next node in document order after `node` and its subtree, staying inside `root`. */
function following(node: Node, root: Node): Node | null {
  let at: Node | null = node;
  while (at !== null && at !== root) {
    if (at.nextSibling !== null) return at.nextSibling;
    at = at.parentNode;
  }
  return null;
}

function detach(node: Node): void {
  const parent = node.parentNode;
  if (parent === null) return;
  if (node.previousSibling === null) parent.firstChild = node.nextSibling;
  else node.previousSibling.nextSibling = node.nextSibling;
  if (node.nextSibling === null) parent.lastChild = node.previousSibling;
  else node.nextSibling.previousSibling = node.previousSibling;
  node.parentNode = null;
  node.previousSibling = null;
  node.nextSibling = null;
}

/** An attribute: its qualified name split at the colon, the namespace its prefix is bound to, its value. */
export class Attr {
  declare readonly namespaceURI: string | null;
  declare readonly name: string;
  declare readonly prefix: string | null;
  declare readonly localName: string;
  declare value: string;

  constructor(namespaceURI: string | null, name: string, prefix: string | null, localName: string, value: string) {
    this.namespaceURI = namespaceURI;
    this.name = name;
    this.prefix = prefix;
    this.localName = localName;
    this.value = value;
  }
}

export class Element extends ParentNode {
  declare readonly namespaceURI: string | null;
  /** The qualified name, as written: `sr:Request`. */
  declare readonly nodeName: string;
  declare readonly prefix: string | null;
  declare readonly localName: string;
  /** In the order written (or set), as a serialiser writes them back. */
  declare readonly attributes: Attr[];

  constructor(namespaceURI: string | null, nodeName: string, prefix: string | null, localName: string) {
    super();
    this.namespaceURI = namespaceURI;
    this.nodeName = nodeName;
    this.prefix = prefix;
    this.localName = localName;
    this.attributes = [];
  }

  get nodeType(): typeof ELEMENT_NODE {
    return ELEMENT_NODE;
  }

  getAttribute(name: string): string | null {
    return this.attributeNode(name)?.value ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.attributeNode(name) !== undefined;
  }

  /** An attribute without a namespace (`Algorithm`); replaces one of that name. */
  setAttribute(name: string, value: string): void {
    const existing = this.attributeNode(name);
    if (existing !== undefined) existing.value = value;
    else this.attributes.push(new Attr(null, name, null, name, value));
  }

  /** A namespaced attribute (`xmlns:ds` in the xmlns namespace); replaces one of that namespace and local name. */
  setAttributeNS(namespace: string | null, qualifiedName: string, value: string): void {
    const [prefix, localName] = splitQualifiedName(qualifiedName);
    const existing = this.attributes.find((a) => a.namespaceURI === namespace && a.localName === localName);
    if (existing !== undefined) existing.value = value;
    else this.attributes.push(new Attr(namespace, qualifiedName, prefix, localName, value));
  }

  /** The text of every text and CDATA node below, in document order (comments and instructions left out). */
  get textContent(): string {
    let text = '';
    let node: Node | null = this.firstChild;
    while (node !== null) {
      if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) text += (node as Text).data;
      else if (node.firstChild !== null) {
        node = node.firstChild;
        continue;
      }
      node = following(node, this);
    }
    return text;
  }

  /** Replaces every child with one text node (none for the empty string, as the DOM says). */
  set textContent(value: string) {
    while (this.firstChild !== null) this.removeChild(this.firstChild);
    if (value !== '') this.appendChild(new Text(value));
  }

  private attributeNode(name: string): Attr | undefined {
    for (const attribute of this.attributes) if (attribute.name === name) return attribute;
    return undefined;
  }
}

export class Document extends ParentNode {
  get nodeType(): typeof DOCUMENT_NODE {
    return DOCUMENT_NODE;
  }
  get nodeName(): string {
    return '#document';
  }

  /**
   * The document's one element child. A parsed document always has one (the parser refuses a text without), and a
   * built one gets it first thing; asking before then is a programming error, not a state to handle.
   */
  get documentElement(): Element {
    for (let child = this.firstChild; child !== null; child = child.nextSibling)
      if (child instanceof Element) return child;
    throw new Error('the document has no document element yet');
  }
}

/** `p:local` → [`p`, `local`]; `local` → [null, `local`]. */
function splitQualifiedName(qualifiedName: string): [prefix: string | null, localName: string] {
  const colon = qualifiedName.indexOf(':');
  return colon < 0 ? [null, qualifiedName] : [qualifiedName.slice(0, colon), qualifiedName.slice(colon + 1)];
}
